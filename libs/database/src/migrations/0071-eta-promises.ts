import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The first estimate an end user was shown for each task (libs/transparency), so that calibration
 * can be tracked: the share of tasks resolved before the latest time (P90) they were promised.
 */
export class EtaPromises0000000000071 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE eta_promises (
        task_id uuid PRIMARY KEY,
        org_id uuid NOT NULL REFERENCES organisations ON DELETE CASCADE,
        task_type text NOT NULL,
        shown_at timestamptz NOT NULL DEFAULT now(),
        high_at timestamptz NOT NULL
      );
      CREATE INDEX eta_promises_org ON eta_promises (org_id, task_type);
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE eta_promises`);
  }
}
