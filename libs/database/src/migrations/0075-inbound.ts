import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Signed inbound events (libs/inbound). A source is one sender or third party with its own
 * Standard Webhooks secret (encrypted like webhook endpoint secrets). Each accepted message's
 * webhook-id is kept per source, written in the transaction that holds the effect's lock, so a
 * replay is refused by the primary key and a refused message leaves no row.
 */
export class Inbound0000000000075 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE inbound_sources (
        id uuid PRIMARY KEY,
        org_id uuid NOT NULL REFERENCES organisations ON DELETE CASCADE,
        name text NOT NULL,
        -- sender: acts as the API key that created the tasks; third_party: only posts info on tasks that name its key
        kind text NOT NULL CHECK (kind IN ('sender', 'third_party')),
        key text NOT NULL,
        api_key_id uuid REFERENCES api_keys ON DELETE CASCADE,
        secret_encrypted text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT inbound_sources_org_key UNIQUE (org_id, key),
        CHECK ((kind = 'sender') = (api_key_id IS NOT NULL))
      );

      CREATE TABLE inbound_messages (
        source_id uuid NOT NULL REFERENCES inbound_sources ON DELETE CASCADE,
        message_id text NOT NULL,
        task_id uuid NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (source_id, message_id)
      );
      CREATE INDEX inbound_messages_received ON inbound_messages (received_at);
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE inbound_messages; DROP TABLE inbound_sources;`);
  }
}
