import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Devices (libs/devices): enrolment tokens, who may act as which device, presence, device groups,
 * jobs with their versions and schedules, and the read models of devices and runs (kept by the
 * devices projection from the `device-*` and `run-*` streams, with its checkpoint).
 */
export class Devices0000000000060 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE device_enrolment_tokens (
        id uuid PRIMARY KEY,
        org_id uuid NOT NULL REFERENCES organisations ON DELETE CASCADE,
        name text NOT NULL,
        -- sha256 of the token; the token itself is shown once
        token_hash text NOT NULL UNIQUE,
        group_ids uuid[] NOT NULL DEFAULT '{}',
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        used_by_device uuid,
        used_by_key text,
        revoked_at timestamptz,
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX device_enrolment_tokens_org ON device_enrolment_tokens (org_id, created_at);

      -- Checked on every request a device makes: an unenrolled device is refused at once.
      CREATE TABLE device_access (
        device_id uuid PRIMARY KEY,
        org_id uuid NOT NULL REFERENCES organisations ON DELETE CASCADE,
        public_key text NOT NULL UNIQUE CHECK (public_key ~ '^U[A-Z2-7]{55}$'),
        enrolled_at timestamptz NOT NULL DEFAULT now(),
        unenrolled_at timestamptz,
        -- sha256 of the current access token and of the open challenge
        access_hash text,
        access_expires_at timestamptz,
        challenge_hash text,
        challenge_expires_at timestamptz,
        -- unix seconds of the newest NATS JWT issued: a revocation covers it
        nats_issued_at bigint
      );
      CREATE INDEX device_access_org ON device_access (org_id);
      CREATE INDEX device_access_token ON device_access (access_hash) WHERE access_hash IS NOT NULL;

      CREATE TABLE device_presence (
        device_id uuid PRIMARY KEY REFERENCES device_access ON DELETE CASCADE,
        org_id uuid NOT NULL,
        online boolean NOT NULL DEFAULT false,
        -- the NATS client id of the newest connection: an older one's disconnect changes nothing
        nats_client bigint,
        connected_at timestamptz,
        disconnected_at timestamptz,
        last_seen_at timestamptz
      );

      CREATE TABLE device_groups (
        id uuid PRIMARY KEY,
        org_id uuid NOT NULL REFERENCES organisations ON DELETE CASCADE,
        name text NOT NULL,
        -- labels a device must all have to belong, besides the static members; {} selects none
        selector jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (org_id, name)
      );
      CREATE TABLE device_group_members (
        group_id uuid NOT NULL REFERENCES device_groups ON DELETE CASCADE,
        device_id uuid NOT NULL REFERENCES device_access ON DELETE CASCADE,
        PRIMARY KEY (group_id, device_id)
      );
      CREATE INDEX device_group_members_device ON device_group_members (device_id);

      CREATE TABLE jobs (
        id uuid PRIMARY KEY,
        org_id uuid NOT NULL REFERENCES organisations ON DELETE CASCADE,
        name text NOT NULL,
        version integer NOT NULL,
        -- the current JobSpec (description, actions, onFailure, runAs, outputMaxBytes)
        spec jsonb NOT NULL,
        open_task_on_failure boolean NOT NULL DEFAULT false,
        retention_days integer NOT NULL CHECK (retention_days BETWEEN 1 AND 3650),
        retention_count integer NOT NULL CHECK (retention_count BETWEEN 1 AND 100000),
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz
      );
      CREATE INDEX jobs_org ON jobs (org_id, name) WHERE deleted_at IS NULL;
      -- Every version a run may name: an agent that ran a cached schedule reports the version it ran.
      CREATE TABLE job_versions (
        job_id uuid NOT NULL REFERENCES jobs ON DELETE CASCADE,
        version integer NOT NULL,
        spec jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (job_id, version)
      );

      CREATE TABLE job_schedules (
        id uuid PRIMARY KEY,
        org_id uuid NOT NULL REFERENCES organisations ON DELETE CASCADE,
        job_id uuid NOT NULL REFERENCES jobs ON DELETE CASCADE,
        cron text NOT NULL,
        timezone text NOT NULL,
        target_device uuid REFERENCES device_access ON DELETE CASCADE,
        target_group uuid REFERENCES device_groups ON DELETE CASCADE,
        misfire text NOT NULL CHECK (misfire IN ('skip', 'run_once', 'run_all')),
        starting_deadline_seconds integer CHECK (starting_deadline_seconds > 0),
        overlap text NOT NULL CHECK (overlap IN ('allow', 'forbid', 'replace')),
        enabled boolean NOT NULL DEFAULT true,
        -- slots before this are not caught up (creation or the last change)
        active_from timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((target_device IS NULL) <> (target_group IS NULL))
      );
      CREATE INDEX job_schedules_job ON job_schedules (job_id);

      -- Read models, kept by the devices projection (checkpoint 'devices' in projection_checkpoints).
      CREATE TABLE device_views (
        device_id uuid PRIMARY KEY,
        org_id uuid NOT NULL,
        name text NOT NULL,
        public_key text NOT NULL,
        enrolled boolean NOT NULL,
        facts jsonb NOT NULL,
        labels jsonb NOT NULL,
        enrolled_at timestamptz NOT NULL,
        unenrolled_at timestamptz,
        version integer NOT NULL
      );
      CREATE INDEX device_views_org ON device_views (org_id, name);

      CREATE TABLE run_views (
        run_id uuid PRIMARY KEY,
        org_id uuid NOT NULL,
        device_id uuid NOT NULL,
        job_id uuid NOT NULL,
        job_version integer NOT NULL,
        job_name text,
        -- the job as the run carries it (null for a missed slot)
        job jsonb,
        trigger_kind text NOT NULL,
        requested_by text,
        batch_id uuid,
        schedule_id uuid,
        scheduled_for timestamptz,
        status text NOT NULL,
        action_count integer NOT NULL,
        actions_done integer NOT NULL DEFAULT 0,
        error text,
        missed_reason text,
        task_id uuid,
        -- when the run was asked for: its slot for scheduled runs
        at timestamptz NOT NULL,
        dispatched_at timestamptz,
        started_at timestamptz,
        finished_at timestamptz,
        updated_at timestamptz NOT NULL,
        version integer NOT NULL
      );
      CREATE INDEX run_views_org ON run_views (org_id, at DESC, run_id DESC);
      CREATE INDEX run_views_job ON run_views (job_id, device_id, at DESC);
      CREATE INDEX run_views_device ON run_views (device_id, at DESC);
      CREATE INDEX run_views_batch ON run_views (batch_id) WHERE batch_id IS NOT NULL;
      CREATE INDEX run_views_pending ON run_views (device_id) WHERE status IN ('requested', 'dispatched');

      CREATE TABLE run_action_views (
        run_id uuid NOT NULL REFERENCES run_views ON DELETE CASCADE,
        index integer NOT NULL,
        action_type text NOT NULL,
        ok boolean NOT NULL,
        code integer,
        output text NOT NULL,
        error text NOT NULL,
        truncated boolean NOT NULL,
        duration_ms integer NOT NULL,
        finished_at timestamptz NOT NULL,
        PRIMARY KEY (run_id, index)
      );
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE run_action_views, run_views, device_views, job_schedules, job_versions, jobs,
      device_group_members, device_groups, device_presence, device_access, device_enrolment_tokens`);
    await db.query(`DELETE FROM projection_checkpoints WHERE name = 'devices'`);
  }
}
