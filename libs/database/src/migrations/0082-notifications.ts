import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Notifications (libs/notifications): one row per person and thing to hear about (listed in the
 * app, read or unread) with what its delivery did; the browsers' Web Push subscriptions; and each
 * person's preferences (channels per urgency level, quiet hours in their own time zone).
 */
export class Notifications0000000000082 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE notifications (
        id uuid PRIMARY KEY,
        org_id uuid NOT NULL REFERENCES organisations ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users ON DELETE CASCADE,
        task_id uuid NOT NULL,
        -- the event it tells of: handling the log again makes no second notification
        source_event_id uuid NOT NULL,
        kind text NOT NULL CHECK (kind IN ('assigned', 'escalated', 'urgent')),
        urgency text NOT NULL CHECK (urgency IN ('low', 'normal', 'high', 'urgent')),
        title text NOT NULL,
        body text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        read_at timestamptz,
        -- delivery: held back by quiet hours until, pushed, e-mailed, or waiting for the digest
        held_until timestamptz,
        pushed_at timestamptz,
        emailed_at timestamptz,
        digest_pending boolean NOT NULL DEFAULT false,
        -- delivery decided and done (whatever the channels were); until then the sweep re-enqueues it
        delivered_at timestamptz,
        UNIQUE (source_event_id, user_id)
      );
      CREATE INDEX notifications_person ON notifications (user_id, org_id, created_at DESC);
      CREATE INDEX notifications_digest ON notifications (user_id) WHERE digest_pending;
      CREATE INDEX notifications_undelivered ON notifications (created_at) WHERE delivered_at IS NULL;

      CREATE TABLE push_subscriptions (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users ON DELETE CASCADE,
        endpoint text NOT NULL UNIQUE,
        p256dh text NOT NULL,
        auth text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX push_subscriptions_person ON push_subscriptions (user_id);

      CREATE TABLE notification_preferences (
        user_id uuid PRIMARY KEY REFERENCES users ON DELETE CASCADE,
        time_zone text NOT NULL,
        -- {low, normal, high, urgent}: each a list of 'push' | 'email' | 'digest'
        channels jsonb NOT NULL,
        quiet_start text,
        quiet_end text,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((quiet_start IS NULL) = (quiet_end IS NULL))
      );
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE notification_preferences, push_subscriptions, notifications`);
  }
}
