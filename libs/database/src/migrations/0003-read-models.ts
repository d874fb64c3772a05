import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Read models kept by the projector (libs/projector) and read by the query API: the inbox
 * (one row per task), the timeline (one row per event) and the facts resolution stats need.
 * All of them can be rebuilt from the event log at any time.
 */
export class ReadModels0000000000003 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    // array_to_string is only STABLE (it calls element output functions), which a generated
    // column refuses; for text[] the result cannot change, so this wrapper is truly IMMUTABLE.
    await db.query(`
      CREATE FUNCTION tags_text(p_tags text[]) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE
      AS $$ SELECT array_to_string(p_tags, ' ') $$`);
    await db.query(`
      CREATE TABLE inbox_tasks (
        task_id uuid PRIMARY KEY,
        org_id uuid NOT NULL,
        task_type text NOT NULL,
        title text NOT NULL,
        description text,
        status text NOT NULL,
        -- unfinished first: pending 0, processing 1, waiting 2, completed 3, cancelled 4
        status_rank smallint NOT NULL,
        processed_by text,
        processed_at timestamptz,
        source jsonb NOT NULL,
        priority text,
        due_at timestamptz,
        tags text[] NOT NULL DEFAULT '{}',
        assignees text[] NOT NULL DEFAULT '{}',
        customer_ref text,
        project_ref text,
        private boolean NOT NULL DEFAULT false,
        external_ref text,
        resolution text,
        comment_count integer NOT NULL DEFAULT 0,
        attachment_count integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        completed_at timestamptz,
        cancelled_at timestamptz,
        -- the task's stream revision this row reflects (read-your-writes waits on it)
        version integer NOT NULL,
        -- the whole folded task (libs/domain ExistingTask), so the projector folds on from it
        state jsonb NOT NULL,
        search tsvector GENERATED ALWAYS AS (
          to_tsvector('simple', title || ' ' || coalesce(description, '') || ' ' || task_type || ' '
            || coalesce(external_ref, '') || ' ' || coalesce(customer_ref, '') || ' ' || tags_text(tags))
        ) STORED
      );
      CREATE INDEX inbox_tasks_queue ON inbox_tasks (org_id, status_rank, created_at, task_id);
      CREATE INDEX inbox_tasks_claimer ON inbox_tasks (org_id, processed_by) WHERE processed_by IS NOT NULL;
      CREATE INDEX inbox_tasks_due ON inbox_tasks (org_id, due_at) WHERE due_at IS NOT NULL;
      CREATE INDEX inbox_tasks_tags ON inbox_tasks USING gin (tags);
      CREATE INDEX inbox_tasks_assignees ON inbox_tasks USING gin (assignees);
      CREATE INDEX inbox_tasks_search ON inbox_tasks USING gin (search);

      CREATE TABLE task_timeline (
        task_id uuid NOT NULL,
        revision integer NOT NULL,
        org_id uuid NOT NULL,
        event_id uuid NOT NULL,
        event_type text NOT NULL,
        actor jsonb NOT NULL,
        occurred_at timestamptz NOT NULL,
        summary text NOT NULL,
        details jsonb NOT NULL DEFAULT '{}',
        PRIMARY KEY (task_id, revision)
      );

      -- One row per task with the moments stats are made of; durations in seconds.
      CREATE TABLE task_facts (
        task_id uuid PRIMARY KEY,
        org_id uuid NOT NULL,
        task_type text NOT NULL,
        created_at timestamptz NOT NULL,
        first_claimed_at timestamptz,
        first_response_at timestamptz,
        resolved_at timestamptz,
        outcome text CHECK (outcome IN ('completed', 'cancelled')),
        resolution text,
        resolution_seconds double precision,
        business_seconds double precision
      );
      CREATE INDEX task_facts_resolved ON task_facts (org_id, resolved_at)
        INCLUDE (task_type, outcome, resolution, resolution_seconds, business_seconds) WHERE resolved_at IS NOT NULL;
      CREATE INDEX task_facts_created ON task_facts (org_id, created_at) INCLUDE (task_type, resolved_at);
      -- the backlog's "open now" count, without scanning every organisation's facts
      CREATE INDEX task_facts_open ON task_facts (org_id, task_type) WHERE resolved_at IS NULL;

      -- Working hours for business-hours stats; organisations without a row use Mon-Fri 09-17 UTC.
      CREATE TABLE org_calendars (
        org_id uuid PRIMARY KEY,
        time_zone text NOT NULL,
        working_days smallint[] NOT NULL,
        day_start time NOT NULL,
        day_end time NOT NULL,
        CHECK (day_start < day_end)
      );

      -- Where each projection has got to in the event log (an opaque event-store position).
      CREATE TABLE projection_checkpoints (
        name text PRIMARY KEY,
        position text,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
    `);

    // Seconds of [from, to) that fall inside working hours, in the calendar's time zone.
    await db.query(`
      CREATE FUNCTION business_seconds(
        p_from timestamptz, p_to timestamptz, p_zone text, p_days smallint[], p_start time, p_end time
      ) RETURNS double precision
      LANGUAGE sql IMMUTABLE PARALLEL SAFE
      AS $$
        SELECT coalesce(sum(extract(epoch FROM least(p_to, day_end) - greatest(p_from, day_begin))), 0)
        FROM (
          SELECT (d + p_start) AT TIME ZONE p_zone AS day_begin, (d + p_end) AT TIME ZONE p_zone AS day_end
          FROM generate_series(
            date_trunc('day', p_from AT TIME ZONE p_zone),
            date_trunc('day', p_to AT TIME ZONE p_zone),
            interval '1 day'
          ) AS d
          WHERE extract(isodow FROM d)::smallint = ANY (p_days)
        ) AS days
        WHERE day_end > p_from AND day_begin < p_to
      $$`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP FUNCTION business_seconds(timestamptz, timestamptz, text, smallint[], time, time);
      DROP TABLE projection_checkpoints, org_calendars, task_facts, task_timeline, inbox_tasks;
      DROP FUNCTION tags_text(text[]);
    `);
  }
}
