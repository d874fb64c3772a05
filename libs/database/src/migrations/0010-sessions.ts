import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sessions that the server can end (sign-out, password change, removal), memberships that an
 * admin can block, and the first admin's duty to change a generated password.
 */
export class Sessions0000000000010 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE sessions (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users ON DELETE CASCADE,
        org_id uuid NOT NULL REFERENCES organisations ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        ended_at timestamptz
      );
      CREATE INDEX sessions_open_by_user ON sessions (user_id) WHERE ended_at IS NULL;
      CREATE INDEX sessions_expiry ON sessions (expires_at);
      ALTER TABLE memberships ADD COLUMN blocked_at timestamptz;
      ALTER TABLE users ADD COLUMN must_change_password boolean NOT NULL DEFAULT false;
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE users DROP COLUMN must_change_password;
      ALTER TABLE memberships DROP COLUMN blocked_at;
      DROP TABLE sessions;
    `);
  }
}
