import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Transparency (libs/transparency): the end-user status link of a task (a capability token kept
 * as SHA-256, shown once; one live link per task, revocable) and each organisation's settings
 * for it (how long a link outlives the end of its task, public stats, ETA hooks).
 */
export class Transparency0000000000070 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE status_links (
        task_id uuid PRIMARY KEY,
        org_id uuid NOT NULL REFERENCES organisations ON DELETE CASCADE,
        token_sha256 text NOT NULL UNIQUE,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE transparency_settings (
        org_id uuid PRIMARY KEY REFERENCES organisations ON DELETE CASCADE,
        link_ttl_days integer NOT NULL DEFAULT 30 CHECK (link_ttl_days BETWEEN 1 AND 3650),
        public_stats boolean NOT NULL DEFAULT false,
        -- [{feature, op, value, multiply?, addMinutes?, sentence}], applied in order
        eta_hooks jsonb NOT NULL DEFAULT '[]',
        updated_at timestamptz NOT NULL DEFAULT now()
      );
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE transparency_settings, status_links`);
  }
}
