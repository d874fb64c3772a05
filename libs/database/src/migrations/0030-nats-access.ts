import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * NATS access: revoked NATS users (kept forever, and pushed to NATS in the account's JWT) and
 * organisations' event readers (a NATS user and a JetStream consumer each; the credentials are
 * shown once and never stored).
 */
export class NatsAccess0000000000030 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE nats_revocations (
        account text NOT NULL CHECK (account IN ('SYS', 'TASKINBOX', 'OUTSIDE', 'EVENTS', 'DEVICES')),
        user_key text NOT NULL CHECK (user_key ~ '^U[A-Z2-7]{55}$'),
        -- NATS refuses this user's JWTs issued at or before this time (unix seconds)
        revokes_before bigint NOT NULL,
        revoked_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (account, user_key)
      );

      CREATE TABLE event_readers (
        id uuid PRIMARY KEY,
        org_id uuid NOT NULL REFERENCES organisations ON DELETE CASCADE,
        name text NOT NULL,
        -- the NATS user name, also its JetStream consumer's name and inbox token
        nats_name text NOT NULL UNIQUE,
        user_key text NOT NULL UNIQUE,
        issued_at bigint NOT NULL,
        subject_prefix text NOT NULL,
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_by uuid,
        revoked_at timestamptz
      );
      CREATE INDEX event_readers_org ON event_readers (org_id, created_at);
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE event_readers, nats_revocations');
  }
}
