import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Urgency (libs/urgency), kept apart from priority: each organisation's ordered first-match rule
 * list, and on each inbox row the level it gave, its reason and the task version it was worked
 * out for (a newer version is evaluated again). Written by the urgency evaluator only, so the
 * projector's upserts leave these columns alone; a rebuilt inbox starts at 'normal' and unevaluated.
 * The queue sorts by status, then urgency (0 critical … 3 low), then age.
 */
export class Urgency0000000000077 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE urgency_rules (
        org_id uuid PRIMARY KEY REFERENCES organisations ON DELETE CASCADE,
        rules jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      );

      ALTER TABLE inbox_tasks
        ADD COLUMN urgency_rank smallint NOT NULL DEFAULT 2,
        ADD COLUMN urgency_level text NOT NULL DEFAULT 'normal',
        ADD COLUMN urgency_reason text,
        ADD COLUMN urgency_version integer;

      CREATE INDEX inbox_tasks_urgent_queue ON inbox_tasks (org_id, status_rank, urgency_rank, created_at, task_id);
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP INDEX inbox_tasks_urgent_queue;
      ALTER TABLE inbox_tasks DROP COLUMN urgency_rank, DROP COLUMN urgency_level, DROP COLUMN urgency_reason, DROP COLUMN urgency_version;
      DROP TABLE urgency_rules;
    `);
  }
}
