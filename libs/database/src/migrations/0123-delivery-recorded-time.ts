import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A delivery's created_at is when its row was written, not when its transaction began. A fan-out
 * that waited on another consumer's lock of the task's cursor writes the task's next revision
 * after the other commits, yet now() stamped it with its earlier start: delivery history (and its
 * replay by time) showed revision n+1 before n.
 */
export class DeliveryRecordedTime0000000000123 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE webhook_deliveries ALTER COLUMN created_at SET DEFAULT clock_timestamp()');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE webhook_deliveries ALTER COLUMN created_at SET DEFAULT now()');
  }
}
