import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Stats facts learn whether their task is private, so that statistics a service may read can
 * leave private tasks out (a service must not learn another service's private task through an
 * outcome count). The indexes the statistics read carry the flag, so they stay index-only.
 */
export class PrivateTaskFacts0000000000020 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE task_facts ADD COLUMN private boolean NOT NULL DEFAULT false`);
    await db.query(`UPDATE task_facts f SET private = true FROM inbox_tasks i WHERE i.task_id = f.task_id AND i.private`);
    await db.query(`
      DROP INDEX task_facts_resolved;
      CREATE INDEX task_facts_resolved ON task_facts (org_id, resolved_at)
        INCLUDE (task_type, outcome, resolution, resolution_seconds, business_seconds, private) WHERE resolved_at IS NOT NULL;
      DROP INDEX task_facts_created;
      CREATE INDEX task_facts_created ON task_facts (org_id, created_at) INCLUDE (task_type, resolved_at, private);
      DROP INDEX task_facts_open;
      CREATE INDEX task_facts_open ON task_facts (org_id, task_type) INCLUDE (private) WHERE resolved_at IS NULL;
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP INDEX task_facts_resolved;
      CREATE INDEX task_facts_resolved ON task_facts (org_id, resolved_at)
        INCLUDE (task_type, outcome, resolution, resolution_seconds, business_seconds) WHERE resolved_at IS NOT NULL;
      DROP INDEX task_facts_created;
      CREATE INDEX task_facts_created ON task_facts (org_id, created_at) INCLUDE (task_type, resolved_at);
      DROP INDEX task_facts_open;
      CREATE INDEX task_facts_open ON task_facts (org_id, task_type) WHERE resolved_at IS NULL;
    `);
    await db.query(`ALTER TABLE task_facts DROP COLUMN private`);
  }
}
