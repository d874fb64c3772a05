import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tasks at risk (an SLO signal): the latest time of the task's ETA (P90) is after its deadline.
 * Written by the urgency evaluator with the urgency it works out from the same estimate, so the
 * projector's upserts leave it alone; a rebuilt inbox starts with no task at risk.
 * The partial index finds the organisations each pass must visit (open tasks with a deadline or
 * still flagged) without reading every organisation's inbox.
 */
export class TasksAtRisk0000000000078 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE inbox_tasks ADD COLUMN at_risk boolean NOT NULL DEFAULT false;
      CREATE INDEX inbox_tasks_deadlines ON inbox_tasks (org_id) WHERE status_rank < 3 AND (due_at IS NOT NULL OR at_risk);
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP INDEX inbox_tasks_deadlines;
      ALTER TABLE inbox_tasks DROP COLUMN at_risk;
    `);
  }
}
