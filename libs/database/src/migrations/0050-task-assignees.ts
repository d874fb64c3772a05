import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Assignees become checked refs to people and groups (TaskAssigned/TaskUnassigned events), and
 * tasks gain a milestone and the version of their type. The inbox keeps assignees as text keys:
 * `user:<id>`, `group:<id>`, and `legacy:<text>` for the free strings tasks carried before. Those
 * were described as "user ids or e-mails": a UUID becomes a person (as evolve reads the old
 * events), anything else stays a legacy label, shown but never matched by assigned-only scopes.
 * Nothing is dropped: the events still hold what the sender wrote.
 */
export class TaskAssignees0000000000050 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE inbox_tasks ADD COLUMN milestone_ref text, ADD COLUMN type_version integer;
      UPDATE inbox_tasks SET assignees = ARRAY(
          SELECT CASE WHEN a ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN 'user:' || lower(a) ELSE 'legacy:' || a END
            FROM unnest(assignees) AS a)
       WHERE cardinality(assignees) > 0;
      CREATE INDEX inbox_tasks_customer ON inbox_tasks (org_id, customer_ref) WHERE customer_ref IS NOT NULL;
      CREATE INDEX inbox_tasks_project ON inbox_tasks (org_id, project_ref) WHERE project_ref IS NOT NULL;
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP INDEX inbox_tasks_project;
      DROP INDEX inbox_tasks_customer;
      UPDATE inbox_tasks SET assignees = ARRAY(SELECT regexp_replace(a, '^(user|legacy):', '') FROM unnest(assignees) AS a WHERE a NOT LIKE 'group:%')
       WHERE cardinality(assignees) > 0;
      ALTER TABLE inbox_tasks DROP COLUMN type_version, DROP COLUMN milestone_ref;
    `);
  }
}
