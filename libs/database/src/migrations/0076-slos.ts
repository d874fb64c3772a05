import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * SLOs (libs/slo): per task type, "target of tasks resolved within N business hours over a
 * rolling window of D days". The OpenSLO document is stored as written for export; the columns
 * are what attainment and the burn-rate timer compute from. Alerts are events on `slo-<id>`.
 */
export class Slos0000000000076 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE slos (
        id uuid PRIMARY KEY,
        org_id uuid NOT NULL REFERENCES organisations ON DELETE CASCADE,
        name text NOT NULL,
        task_type text NOT NULL,
        target double precision NOT NULL CHECK (target > 0 AND target < 1),
        within_business_hours double precision NOT NULL CHECK (within_business_hours > 0),
        window_days integer NOT NULL CHECK (window_days BETWEEN 1 AND 366),
        openslo jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX slos_org ON slos (org_id, task_type);
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE slos`);
  }
}
