import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Invitations and password resets (single-use links, kept only as SHA-256), sign-in throttling
 * per account and per client address (keys kept only as SHA-256), and API keys that expire.
 */
export class Invitations0000000000011 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE invitations (
        id uuid PRIMARY KEY,
        org_id uuid NOT NULL REFERENCES organisations ON DELETE CASCADE,
        email text NOT NULL CHECK (email = lower(email)),
        role text NOT NULL CHECK (role IN ('admin', 'member', 'viewer')),
        token_sha256 bytea NOT NULL UNIQUE,
        invited_by uuid REFERENCES users ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        accepted_at timestamptz,
        accepted_by uuid REFERENCES users ON DELETE SET NULL,
        revoked_at timestamptz
      );
      CREATE INDEX invitations_pending ON invitations (org_id, email) WHERE accepted_at IS NULL AND revoked_at IS NULL;
      CREATE TABLE password_resets (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users ON DELETE CASCADE,
        token_sha256 bytea NOT NULL UNIQUE,
        -- null: issued by the operator's CLI
        issued_by uuid REFERENCES users ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz
      );
      CREATE INDEX password_resets_user ON password_resets (user_id);
      CREATE TABLE sign_in_throttle (
        key_sha256 bytea PRIMARY KEY,
        attempts integer NOT NULL,
        next_allowed_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      );
      ALTER TABLE api_keys ADD COLUMN expires_at timestamptz;
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE api_keys DROP COLUMN expires_at;
      DROP TABLE sign_in_throttle, password_resets, invitations;
    `);
  }
}
