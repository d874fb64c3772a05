import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Task types, templates and the organisation's setting for unknown types.
 * task_type_versions holds the TaskTypeVersionPublished events of each type (libs/task-types):
 * one row per version, inserted once and never updated (the trigger refuses), so a task stays
 * valid under the version it recorded. Templates and settings are configuration, edited in place.
 * memberships.assigned_only limits a member to tasks assigned to them or their groups.
 */
export class TaskTypes0000000000051 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE task_type_versions (
        org_id uuid NOT NULL REFERENCES organisations ON DELETE CASCADE,
        key text NOT NULL,
        version integer NOT NULL CHECK (version > 0),
        definition jsonb NOT NULL,
        published_by jsonb NOT NULL,
        published_at timestamptz NOT NULL,
        PRIMARY KEY (org_id, key, version)
      );
      CREATE FUNCTION task_type_versions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'task type versions are immutable'; END $$;
      CREATE TRIGGER task_type_versions_immutable BEFORE UPDATE ON task_type_versions
        FOR EACH ROW EXECUTE FUNCTION task_type_versions_immutable();

      CREATE TABLE task_templates (
        id uuid PRIMARY KEY,
        org_id uuid NOT NULL REFERENCES organisations ON DELETE CASCADE,
        name text NOT NULL,
        definition jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (org_id, name)
      );

      CREATE TABLE org_task_settings (
        org_id uuid PRIMARY KEY REFERENCES organisations ON DELETE CASCADE,
        unknown_types text NOT NULL DEFAULT 'accept' CHECK (unknown_types IN ('accept', 'refuse'))
      );

      ALTER TABLE memberships ADD COLUMN assigned_only boolean NOT NULL DEFAULT false;
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE memberships DROP COLUMN assigned_only;
      DROP TABLE org_task_settings, task_templates, task_type_versions;
      DROP FUNCTION task_type_versions_immutable();
    `);
  }
}
