import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A device's sign-in challenges, each its own single-use row. One challenge per device (a column
 * of device_access) let any second challenge spend the first: a device's own renewal racing
 * another request, or anyone who knows a device id, made its signed nonce fail, and the agent
 * took that refusal for unenrolment.
 */
export class DeviceChallenges0000000000061 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE device_challenges (
        -- sha256 of the nonce; the nonce itself goes only to the asker
        nonce_hash text PRIMARY KEY,
        device_id uuid NOT NULL REFERENCES device_access ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL
      );
      CREATE INDEX device_challenges_device ON device_challenges (device_id, created_at);
      ALTER TABLE device_access DROP COLUMN challenge_hash, DROP COLUMN challenge_expires_at;
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE device_access ADD COLUMN challenge_hash text, ADD COLUMN challenge_expires_at timestamptz;
      DROP TABLE device_challenges;
    `);
  }
}
