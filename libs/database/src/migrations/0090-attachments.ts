import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Attachments (libs/attachments). The bytes live in the object store, addressed by SHA-256 per
 * organisation (one blob row per distinct content); each attachment of a task points at one.
 * The task's history keeps its TaskAttachmentAdded events; these rows say where the bytes are,
 * what their previews are, and whether the bytes were erased on request.
 */
export class Attachments0000000000090 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE attachment_blobs (
        org_id uuid NOT NULL REFERENCES organisations ON DELETE CASCADE,
        sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        size_bytes bigint NOT NULL CHECK (size_bytes >= 0),
        -- sniffed from the bytes, never taken from the client
        content_type text NOT NULL,
        -- pending | ready | failed; kind: image | text | icon
        preview_status text NOT NULL DEFAULT 'pending',
        preview_kind text,
        preview_text text,
        preview_error text,
        preview_ms integer,
        created_at timestamptz NOT NULL DEFAULT now(),
        erased_at timestamptz,
        erased_by text,
        PRIMARY KEY (org_id, sha256)
      );

      CREATE TABLE attachments (
        id uuid PRIMARY KEY,
        org_id uuid NOT NULL REFERENCES organisations ON DELETE CASCADE,
        task_id uuid NOT NULL,
        sha256 text NOT NULL,
        name text NOT NULL,
        -- how it arrived: multipart | tus | url; the URL fetched, for url
        via text NOT NULL,
        source_url text,
        added_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (org_id, sha256) REFERENCES attachment_blobs (org_id, sha256)
      );
      CREATE INDEX attachments_task ON attachments (task_id, created_at);
      CREATE INDEX attachments_blob ON attachments (org_id, sha256);
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE attachments; DROP TABLE attachment_blobs;');
  }
}
