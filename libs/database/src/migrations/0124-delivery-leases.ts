import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A delivery's first attempt travels in one queue job with the rest of its fan-out batch, so no
 * job bears its id: until `leased_until` the sweeper leaves it to that job, and after it (the
 * job lost with Redis's data, or its worker killed) offers it again on its own.
 */
export class DeliveryLeases0000000000124 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE webhook_deliveries ADD COLUMN leased_until timestamptz');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE webhook_deliveries DROP COLUMN leased_until');
  }
}
