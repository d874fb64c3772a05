import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * On-call (libs/oncall): rotations (people taking turns), schedules (weekday/hour rules that put
 * a rotation or a person on call, and temporary overrides) and the capability tokens of their
 * iCal feeds (kept as SHA-256; the URL is shown once).
 */
export class Oncall0000000000080 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE oncall_rotations (
        id uuid PRIMARY KEY,
        org_id uuid NOT NULL REFERENCES organisations ON DELETE CASCADE,
        name text NOT NULL,
        time_zone text NOT NULL,
        start_date date NOT NULL,
        handoff_time text NOT NULL CHECK (handoff_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
        shift_unit text NOT NULL CHECK (shift_unit IN ('hours', 'days', 'weeks')),
        shift_length integer NOT NULL CHECK (shift_length BETWEEN 1 AND 1000),
        people uuid[] NOT NULL DEFAULT '{}',
        -- turns the order moved when people were edited, so the current person stays on call
        turn_offset integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (org_id, name)
      );

      CREATE TABLE oncall_schedules (
        id uuid PRIMARY KEY,
        org_id uuid NOT NULL REFERENCES organisations ON DELETE CASCADE,
        name text NOT NULL,
        time_zone text NOT NULL,
        -- [{days, start, end, target: {kind: 'rotation'|'user', id}}]
        rules jsonb NOT NULL DEFAULT '[]',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (org_id, name)
      );

      CREATE TABLE oncall_overrides (
        id uuid PRIMARY KEY,
        org_id uuid NOT NULL REFERENCES organisations ON DELETE CASCADE,
        schedule_id uuid NOT NULL REFERENCES oncall_schedules ON DELETE CASCADE,
        start_at timestamptz NOT NULL,
        end_at timestamptz NOT NULL CHECK (end_at > start_at),
        add_user uuid,
        remove_user uuid,
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (add_user IS NOT NULL OR remove_user IS NOT NULL)
      );
      CREATE INDEX oncall_overrides_schedule ON oncall_overrides (schedule_id, end_at);

      -- One feed per schedule and one per person of an organisation; a new one replaces the old.
      CREATE TABLE oncall_calendar_feeds (
        id uuid PRIMARY KEY,
        org_id uuid NOT NULL REFERENCES organisations ON DELETE CASCADE,
        schedule_id uuid REFERENCES oncall_schedules ON DELETE CASCADE,
        user_id uuid REFERENCES users ON DELETE CASCADE,
        token_sha256 text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((schedule_id IS NULL) <> (user_id IS NULL))
      );
      CREATE UNIQUE INDEX oncall_calendar_feeds_schedule ON oncall_calendar_feeds (schedule_id) WHERE schedule_id IS NOT NULL;
      CREATE UNIQUE INDEX oncall_calendar_feeds_person ON oncall_calendar_feeds (org_id, user_id) WHERE user_id IS NOT NULL;
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE oncall_calendar_feeds, oncall_overrides, oncall_schedules, oncall_rotations`);
  }
}
