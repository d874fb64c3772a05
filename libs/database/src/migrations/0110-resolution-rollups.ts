import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Resolution statistics kept per organisation, task type, local day (the organisation calendar's
 * zone) and private flag, so a statistic over months reads a few hundred rows instead of a
 * million facts. Each row holds exact counts (created that day; completed per resolution and
 * cancelled that day), sums of the durations, the slowest durations, and two DDSketches (wall
 * clock and business hours) as jsonb maps of bucket key → count.
 *
 * The rollups are kept by triggers on task_facts, so they change in the very statement, and so
 * the same transaction, as the facts the projector writes: a batch applied once (the projector's
 * checkpoint guarantees it) is counted once, a fact rewritten with the same values nets to
 * nothing, and a deleted task is taken out. A rebuild fills its shadow rollups from its shadow
 * facts and swaps them in with them (libs/projector read-model.rebuild.ts).
 *
 * Sketch buckets: relative accuracy α = 0.01, γ = (1 + α) / (1 − α); a duration x ≥ 1 ms goes
 * to bucket ceil(ln x / ln γ), read back as 2γ^i / (γ + 1), which is within α of every x in the
 * bucket. Shorter (and zero) durations share bucket 'z', read back as 0; negative ones (a clock
 * that went back) mirror the positive buckets under 'n<i>'.
 */
export class ResolutionRollups0000000000110 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE resolution_rollups (
        org_id uuid NOT NULL,
        day date NOT NULL,
        task_type text NOT NULL,
        private boolean NOT NULL,
        created integer NOT NULL DEFAULT 0,
        completed integer NOT NULL DEFAULT 0,
        cancelled integer NOT NULL DEFAULT 0,
        resolutions jsonb NOT NULL DEFAULT '{}',
        resolution_seconds double precision NOT NULL DEFAULT 0,
        business_seconds double precision NOT NULL DEFAULT 0,
        slowest double precision,
        slowest_business double precision,
        sketch jsonb NOT NULL DEFAULT '{}',
        business_sketch jsonb NOT NULL DEFAULT '{}',
        -- The sketches of every day up to and including this one (of this org, type and flag): a
        -- period's sketch is one row's minus another's, so a query reads two rows per type, not
        -- one per day (merging 180 days of ~400 buckets each costs hundreds of milliseconds).
        sketch_to_date jsonb NOT NULL DEFAULT '{}',
        business_sketch_to_date jsonb NOT NULL DEFAULT '{}',
        PRIMARY KEY (org_id, day, task_type, private)
      );

      -- A business-hours recompute after a calendar change, run in the background (libs/query).
      CREATE TABLE stats_recomputes (
        org_id uuid PRIMARY KEY,
        generation integer NOT NULL DEFAULT 1,
        state text NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed')),
        done integer NOT NULL DEFAULT 0,
        total integer NOT NULL DEFAULT 0,
        requested_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE FUNCTION stats_sketch_key(seconds double precision) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT CASE
          WHEN seconds IS NULL THEN NULL
          WHEN abs(seconds) < 0.001 THEN 'z'
          WHEN seconds > 0 THEN ceil(ln(seconds) / ln(1.01 / 0.99))::int::text
          ELSE 'n' || ceil(ln(-seconds) / ln(1.01 / 0.99))::int::text
        END
      $$;

      -- Adds two maps of key → count; keys whose count reaches 0 go.
      CREATE FUNCTION stats_counts_add(a jsonb, b jsonb) RETURNS jsonb
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT coalesce(jsonb_object_agg(key, n), '{}'::jsonb)
        FROM (SELECT key, sum(value::bigint) AS n
              FROM (SELECT * FROM jsonb_each_text(a) UNION ALL SELECT * FROM jsonb_each_text(b)) AS e
              GROUP BY key HAVING sum(value::bigint) <> 0) AS s
      $$;

      /*
       * Adds signed fact rows to a rollup table. changes: a query giving
       * (sign, org_id, task_type, created_at, resolved_at, outcome, resolution, private,
       *  resolution_seconds, business_seconds). Days are local to the organisation's calendar.
       */
      CREATE FUNCTION stats_rollups_add_sql(changes text, rollups text) RETURNS text
        LANGUAGE sql IMMUTABLE AS $f$
        SELECT format($q$
          WITH changes AS (
            SELECT c.*, coalesce(z.time_zone, 'UTC') AS zone FROM (%s) AS c LEFT JOIN org_calendars z ON z.org_id = c.org_id
          ),
          made AS (
            SELECT org_id, (created_at AT TIME ZONE zone)::date AS day, task_type, private, sum(sign)::int AS created
            FROM changes GROUP BY 1, 2, 3, 4 HAVING sum(sign) <> 0
          ),
          ended AS (
            SELECT org_id, (resolved_at AT TIME ZONE zone)::date AS day, task_type, private, sign, outcome,
                   coalesce(resolution, 'completed') AS resolution, resolution_seconds AS wall, business_seconds AS business
            FROM changes WHERE resolved_at IS NOT NULL
          ),
          totals AS (
            SELECT org_id, day, task_type, private,
                   coalesce(sum(sign) FILTER (WHERE outcome = 'completed'), 0)::int AS completed,
                   coalesce(sum(sign) FILTER (WHERE outcome = 'cancelled'), 0)::int AS cancelled,
                   coalesce(sum(sign * wall) FILTER (WHERE outcome = 'completed'), 0) AS wall_sum,
                   coalesce(sum(sign * business) FILTER (WHERE outcome = 'completed'), 0) AS business_sum,
                   max(wall) FILTER (WHERE outcome = 'completed' AND sign > 0) AS slowest,
                   max(business) FILTER (WHERE outcome = 'completed' AND sign > 0) AS slowest_business
            FROM ended GROUP BY 1, 2, 3, 4
          ),
          resolutions AS (
            SELECT org_id, day, task_type, private, jsonb_object_agg(resolution, n) AS counts
            FROM (SELECT org_id, day, task_type, private, resolution, sum(sign) AS n FROM ended
                  WHERE outcome = 'completed' GROUP BY 1, 2, 3, 4, 5 HAVING sum(sign) <> 0) AS r
            GROUP BY 1, 2, 3, 4
          ),
          wall AS (
            SELECT org_id, day, task_type, private, jsonb_object_agg(key, n) AS counts
            FROM (SELECT org_id, day, task_type, private, stats_sketch_key(wall) AS key, sum(sign) AS n FROM ended
                  WHERE outcome = 'completed' AND wall IS NOT NULL GROUP BY 1, 2, 3, 4, 5 HAVING sum(sign) <> 0) AS r
            GROUP BY 1, 2, 3, 4
          ),
          business AS (
            SELECT org_id, day, task_type, private, jsonb_object_agg(key, n) AS counts
            FROM (SELECT org_id, day, task_type, private, stats_sketch_key(business) AS key, sum(sign) AS n FROM ended
                  WHERE outcome = 'completed' AND business IS NOT NULL GROUP BY 1, 2, 3, 4, 5 HAVING sum(sign) <> 0) AS r
            GROUP BY 1, 2, 3, 4
          ),
          keys AS (SELECT org_id, day, task_type, private FROM made UNION SELECT org_id, day, task_type, private FROM totals)
          INSERT INTO %I AS r (org_id, day, task_type, private, created, completed, cancelled, resolutions,
                               resolution_seconds, business_seconds, slowest, slowest_business, sketch, business_sketch,
                               sketch_to_date, business_sketch_to_date)
          SELECT k.org_id, k.day, k.task_type, k.private, coalesce(m.created, 0), coalesce(t.completed, 0),
                 coalesce(t.cancelled, 0), coalesce(res.counts, '{}'), coalesce(t.wall_sum, 0), coalesce(t.business_sum, 0),
                 t.slowest, t.slowest_business, coalesce(w.counts, '{}'), coalesce(b.counts, '{}'),
                 -- A new day starts from the running sketch before it (a day with only tasks created
                 -- would otherwise hold none); a day whose own sketch changed is run again after.
                 coalesce(p.sketch_to_date, '{}'), coalesce(p.business_sketch_to_date, '{}')
          FROM keys k
          LEFT JOIN LATERAL (
            SELECT sketch_to_date, business_sketch_to_date FROM %2$I q
            WHERE q.org_id = k.org_id AND q.task_type = k.task_type AND q.private = k.private AND q.day < k.day
            ORDER BY q.day DESC LIMIT 1
          ) AS p ON true
          LEFT JOIN made m USING (org_id, day, task_type, private)
          LEFT JOIN totals t USING (org_id, day, task_type, private)
          LEFT JOIN resolutions res USING (org_id, day, task_type, private)
          LEFT JOIN wall w USING (org_id, day, task_type, private)
          LEFT JOIN business b USING (org_id, day, task_type, private)
          -- A fact rewritten with the same values nets to nothing: no write.
          WHERE m.created IS NOT NULL OR t.completed <> 0 OR t.cancelled <> 0 OR res.counts IS NOT NULL
             OR w.counts IS NOT NULL OR b.counts IS NOT NULL
          ON CONFLICT (org_id, day, task_type, private) DO UPDATE SET
            created = r.created + EXCLUDED.created,
            completed = r.completed + EXCLUDED.completed,
            cancelled = r.cancelled + EXCLUDED.cancelled,
            resolutions = stats_counts_add(r.resolutions, EXCLUDED.resolutions),
            resolution_seconds = r.resolution_seconds + EXCLUDED.resolution_seconds,
            business_seconds = r.business_seconds + EXCLUDED.business_seconds,
            slowest = greatest(r.slowest, EXCLUDED.slowest),
            slowest_business = greatest(r.slowest_business, EXCLUDED.slowest_business),
            sketch = stats_counts_add(r.sketch, EXCLUDED.sketch),
            business_sketch = stats_counts_add(r.business_sketch, EXCLUDED.business_sketch)
        $q$, changes, rollups)
      $f$;

      /*
       * The slowest durations of the rollup rows from which the changes took a completed fact away,
       * read again from the facts (a maximum cannot be decremented).
       */
      CREATE FUNCTION stats_rollups_reslowest_sql(changes text, facts text, rollups text) RETURNS text
        LANGUAGE sql IMMUTABLE AS $f$
        SELECT format($q$
          WITH changes AS (
            SELECT c.*, coalesce(z.time_zone, 'UTC') AS zone FROM (%s) AS c LEFT JOIN org_calendars z ON z.org_id = c.org_id
            WHERE c.outcome = 'completed'
          ),
          removed AS (
            SELECT DISTINCT org_id, task_type, private, zone, day FROM (
              SELECT org_id, task_type, private, zone, (resolved_at AT TIME ZONE zone)::date AS day
              FROM changes GROUP BY 1, 2, 3, 4, 5, resolution_seconds, business_seconds HAVING sum(sign) < 0) AS r
          )
          UPDATE %I AS r SET slowest = s.slowest, slowest_business = s.slowest_business
          FROM removed d
          CROSS JOIN LATERAL (
            SELECT max(f.resolution_seconds) AS slowest, max(f.business_seconds) AS slowest_business FROM %I f
            WHERE f.org_id = d.org_id AND f.task_type = d.task_type AND f.private = d.private AND f.outcome = 'completed'
              AND f.resolved_at >= (d.day::timestamp AT TIME ZONE d.zone) AND f.resolved_at < ((d.day + 1)::timestamp AT TIME ZONE d.zone)
          ) AS s
          WHERE r.org_id = d.org_id AND r.day = d.day AND r.task_type = d.task_type AND r.private = d.private
        $q$, changes, rollups, facts)
      $f$;

      /*
       * Recomputes the running sketches of one (org, type, flag) from day \`since\` on: the row
       * before it gives the base, then each day's sketch adds up, day by day. Procedural on
       * purpose: a set-based running sum over days × buckets is planned badly and costs far more.
       */
      CREATE FUNCTION stats_rollups_run(rollups text, org uuid, kind text, hidden boolean, since date) RETURNS void
        LANGUAGE plpgsql AS $f$
      DECLARE
        wall jsonb := '{}';
        business jsonb := '{}';
        r record;
        found_rows integer;
      BEGIN
        EXECUTE format('SELECT sketch_to_date, business_sketch_to_date FROM %I
                        WHERE org_id = $1 AND task_type = $2 AND private = $3 AND day < $4 ORDER BY day DESC LIMIT 1', rollups)
          INTO r USING org, kind, hidden, since;
        GET DIAGNOSTICS found_rows = ROW_COUNT; -- EXECUTE leaves FOUND alone
        IF found_rows = 1 THEN wall := r.sketch_to_date; business := r.business_sketch_to_date; END IF;
        FOR r IN EXECUTE format('SELECT day, sketch, business_sketch FROM %I
                                 WHERE org_id = $1 AND task_type = $2 AND private = $3 AND day >= $4 ORDER BY day', rollups)
          USING org, kind, hidden, since
        LOOP
          IF r.sketch <> '{}' THEN wall := stats_counts_add(wall, r.sketch); END IF;
          IF r.business_sketch <> '{}' THEN business := stats_counts_add(business, r.business_sketch); END IF;
          EXECUTE format('UPDATE %I SET sketch_to_date = $5, business_sketch_to_date = $6
                          WHERE org_id = $1 AND day = $4 AND task_type = $2 AND private = $3', rollups)
            USING org, kind, hidden, r.day, wall, business;
        END LOOP;
      END
      $f$;

      /* Every fact of \`facts\` (one organisation's when given) added to an empty part of \`rollups\`. */
      CREATE FUNCTION stats_rollups_fill(facts text, rollups text, org uuid DEFAULT NULL) RETURNS void
        LANGUAGE plpgsql AS $f$
      DECLARE
        r record;
      BEGIN
        EXECUTE stats_rollups_add_sql(format(
          'SELECT 1 AS sign, org_id, task_type, created_at, resolved_at, outcome, resolution, private, resolution_seconds, business_seconds FROM %I %s',
          facts, CASE WHEN org IS NULL THEN '' ELSE format('WHERE org_id = %L', org) END), rollups);
        FOR r IN EXECUTE format('SELECT org_id, task_type, private FROM %I %s GROUP BY 1, 2, 3',
          rollups, CASE WHEN org IS NULL THEN '' ELSE format('WHERE org_id = %L', org) END)
        LOOP
          PERFORM stats_rollups_run(rollups, r.org_id, r.task_type, r.private, '-infinity');
        END LOOP;
      END
      $f$;

      -- task_facts → resolution_rollups; a rebuild's task_facts_rebuild → resolution_rollups_rebuild
      -- (after the swap renames the tables, the names still pair up).
      CREATE FUNCTION stats_rollups_track() RETURNS trigger LANGUAGE plpgsql AS $f$
      DECLARE
        rollups text := replace(TG_TABLE_NAME, 'task_facts', 'resolution_rollups');
        columns text := 'org_id, task_type, created_at, resolved_at, outcome, resolution, private, resolution_seconds, business_seconds';
        changes text;
        touched record;
      BEGIN
        changes := CASE TG_OP
          WHEN 'INSERT' THEN format('SELECT 1 AS sign, %s FROM new_facts', columns)
          WHEN 'DELETE' THEN format('SELECT -1 AS sign, %s FROM old_facts', columns)
          ELSE format('SELECT 1 AS sign, %1$s FROM new_facts UNION ALL SELECT -1, %1$s FROM old_facts', columns)
        END;
        -- A calendar recompute regrouping an organisation's rollups is waited for (it takes the
        -- same lock exclusively). Transition tables are seen only by this function's own statements.
        EXECUTE format('SELECT count(pg_advisory_xact_lock_shared(hashtextextended(''taskinbox.rollups.'' || org_id, 0)))
          FROM (SELECT DISTINCT org_id FROM (%s) AS c ORDER BY org_id) AS orgs', changes);
        EXECUTE stats_rollups_add_sql(changes, rollups);
        IF TG_OP <> 'INSERT' THEN EXECUTE stats_rollups_reslowest_sql(changes, TG_TABLE_NAME, rollups); END IF;
        -- The running sketches from the first day whose sketch changed (today's, as a rule: one row).
        FOR touched IN EXECUTE format($q$
          SELECT org_id, task_type, private, min(day) AS since FROM (
            SELECT c.org_id, c.task_type, c.private, (c.resolved_at AT TIME ZONE coalesce(z.time_zone, 'UTC'))::date AS day
            FROM (%s) AS c LEFT JOIN org_calendars z ON z.org_id = c.org_id
            WHERE c.outcome = 'completed' AND c.resolved_at IS NOT NULL
            GROUP BY 1, 2, 3, 4, stats_sketch_key(c.resolution_seconds), stats_sketch_key(c.business_seconds)
            HAVING sum(c.sign) <> 0
          ) AS moved GROUP BY 1, 2, 3 ORDER BY 1, 2, 3 $q$, changes)
        LOOP
          PERFORM stats_rollups_run(rollups, touched.org_id, touched.task_type, touched.private, touched.since);
        END LOOP;
        RETURN NULL;
      END
      $f$;

      CREATE FUNCTION stats_rollups_truncate() RETURNS trigger LANGUAGE plpgsql AS $f$
      BEGIN
        EXECUTE format('TRUNCATE %I', replace(TG_TABLE_NAME, 'task_facts', 'resolution_rollups'));
        RETURN NULL;
      END
      $f$;
    `);
    await db.query(createTriggers('task_facts'));
    await db.query(`SELECT stats_rollups_fill('task_facts', 'resolution_rollups')`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP TRIGGER task_facts_rollups_insert ON task_facts;
      DROP TRIGGER task_facts_rollups_update ON task_facts;
      DROP TRIGGER task_facts_rollups_delete ON task_facts;
      DROP TRIGGER task_facts_rollups_truncate ON task_facts;
      DROP FUNCTION stats_rollups_track(), stats_rollups_truncate(), stats_rollups_fill(text, text, uuid), stats_rollups_run(text, uuid, text, boolean, date),
        stats_rollups_reslowest_sql(text, text, text), stats_rollups_add_sql(text, text), stats_counts_add(jsonb, jsonb),
        stats_sketch_key(double precision);
      DROP TABLE stats_recomputes, resolution_rollups;
    `);
  }
}

/**
 * The triggers that keep a facts table's rollups (the rebuild puts them on its shadow facts too).
 * Transition tables need one trigger per event.
 */
export const createTriggers = (facts: string): string => `
  CREATE TRIGGER task_facts_rollups_insert AFTER INSERT ON "${facts}"
    REFERENCING NEW TABLE AS new_facts FOR EACH STATEMENT EXECUTE FUNCTION stats_rollups_track();
  CREATE TRIGGER task_facts_rollups_update AFTER UPDATE ON "${facts}"
    REFERENCING OLD TABLE AS old_facts NEW TABLE AS new_facts FOR EACH STATEMENT EXECUTE FUNCTION stats_rollups_track();
  CREATE TRIGGER task_facts_rollups_delete AFTER DELETE ON "${facts}"
    REFERENCING OLD TABLE AS old_facts FOR EACH STATEMENT EXECUTE FUNCTION stats_rollups_track();
  CREATE TRIGGER task_facts_rollups_truncate AFTER TRUNCATE ON "${facts}"
    FOR EACH STATEMENT EXECUTE FUNCTION stats_rollups_truncate();
`;
