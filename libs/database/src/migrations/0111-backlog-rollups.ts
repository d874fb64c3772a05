import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The backlog from the rollups: each resolution_rollups row also holds how many of its (org,
 * type, flag) tasks were open at the end of its day (created up to then minus resolved up to
 * then), so the backlog at any local midnight is one row per type and flag, and a period's
 * buckets are that plus the days' created − completed − cancelled (a resolved fact has an
 * outcome: the projector sets both together).
 *
 * The running figure is kept by its own triggers on task_facts, which fire after the rollup
 * triggers of 0110 (same event, names sorting after theirs), and runs again from the first day
 * whose count changed, set-based: as a rule only today's row. Like the running sketches, it
 * relies on facts being written by one projector batch at a time (the checkpoint row orders them).
 */
export class BacklogRollups0000000000111 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE resolution_rollups ADD COLUMN open_at_end integer NOT NULL DEFAULT 0;

      /*
       * Runs open_at_end of \`rollups\` again from day \`since\` on, for each part given by \`parts\`:
       * a query giving (org_id, task_type, private, since), one row per part.
       */
      CREATE FUNCTION stats_rollups_open_sql(parts text, rollups text) RETURNS text
        LANGUAGE sql IMMUTABLE AS $f$
        SELECT format($q$
          WITH parts AS (%s),
          runs AS (
            SELECT r.org_id, r.day, r.task_type, r.private,
                   (coalesce(before.open_at_end, 0)
                    + sum(r.created - r.completed - r.cancelled) OVER (PARTITION BY r.org_id, r.task_type, r.private ORDER BY r.day))::int AS open
            FROM parts p
            JOIN %2$I r ON r.org_id = p.org_id AND r.task_type = p.task_type AND r.private = p.private AND r.day >= p.since
            LEFT JOIN LATERAL (
              SELECT q.open_at_end FROM %2$I q
              WHERE q.org_id = p.org_id AND q.task_type = p.task_type AND q.private = p.private AND q.day < p.since
              ORDER BY q.day DESC LIMIT 1
            ) AS before ON true
          )
          UPDATE %2$I AS r SET open_at_end = runs.open FROM runs
          WHERE r.org_id = runs.org_id AND r.day = runs.day AND r.task_type = runs.task_type AND r.private = runs.private
            AND r.open_at_end <> runs.open
        $q$, parts, rollups)
      $f$;

      CREATE FUNCTION stats_rollups_track_open() RETURNS trigger LANGUAGE plpgsql AS $f$
      DECLARE
        rollups text := replace(TG_TABLE_NAME, 'task_facts', 'resolution_rollups');
        columns text := 'org_id, task_type, created_at, resolved_at, private';
        changes text;
      BEGIN
        changes := CASE TG_OP
          WHEN 'INSERT' THEN format('SELECT 1 AS sign, %s FROM new_facts', columns)
          WHEN 'DELETE' THEN format('SELECT -1 AS sign, %s FROM old_facts', columns)
          ELSE format('SELECT 1 AS sign, %1$s FROM new_facts UNION ALL SELECT -1, %1$s FROM old_facts', columns)
        END;
        -- From the first day whose created or resolved count changed (a row the rollup trigger
        -- inserted is among them): a fact rewritten with the same moments runs nothing.
        EXECUTE stats_rollups_open_sql(format($q$
          SELECT org_id, task_type, private, min(day) AS since FROM (
            SELECT c.org_id, c.task_type, c.private, m.day
            FROM (%s) AS c
            LEFT JOIN org_calendars z ON z.org_id = c.org_id
            CROSS JOIN LATERAL (VALUES ('created', (c.created_at AT TIME ZONE coalesce(z.time_zone, 'UTC'))::date),
                                       ('resolved', (c.resolved_at AT TIME ZONE coalesce(z.time_zone, 'UTC'))::date)) AS m(kind, day)
            WHERE m.day IS NOT NULL
            GROUP BY 1, 2, 3, 4, m.kind HAVING sum(c.sign) <> 0
          ) AS moved GROUP BY 1, 2, 3 $q$, changes), rollups);
        RETURN NULL;
      END
      $f$;
    `);
    await db.query(createOpenTriggers('task_facts'));
    await db.query(fill(true));
    // Existing rollups: every part run from its first day, in one statement.
    await db.query(
      `DO $$ BEGIN
         EXECUTE stats_rollups_open_sql('SELECT org_id, task_type, private, ''-infinity''::date AS since FROM resolution_rollups GROUP BY 1, 2, 3',
                                        'resolution_rollups');
       END $$`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(fill(false));
    await db.query(`
      DROP TRIGGER task_facts_rollups_insert_open ON task_facts;
      DROP TRIGGER task_facts_rollups_update_open ON task_facts;
      DROP TRIGGER task_facts_rollups_delete_open ON task_facts;
      DROP FUNCTION stats_rollups_track_open(), stats_rollups_open_sql(text, text);
      ALTER TABLE resolution_rollups DROP COLUMN open_at_end;
    `);
  }
}

/**
 * The triggers that keep open_at_end (the rebuild copies them to its shadow facts). Trigger
 * names order their firing: each sorts right after the 0110 trigger of its event.
 */
const createOpenTriggers = (facts: string): string => `
  CREATE TRIGGER task_facts_rollups_insert_open AFTER INSERT ON "${facts}"
    REFERENCING NEW TABLE AS new_facts FOR EACH STATEMENT EXECUTE FUNCTION stats_rollups_track_open();
  CREATE TRIGGER task_facts_rollups_update_open AFTER UPDATE ON "${facts}"
    REFERENCING OLD TABLE AS old_facts NEW TABLE AS new_facts FOR EACH STATEMENT EXECUTE FUNCTION stats_rollups_track_open();
  CREATE TRIGGER task_facts_rollups_delete_open AFTER DELETE ON "${facts}"
    REFERENCING OLD TABLE AS old_facts FOR EACH STATEMENT EXECUTE FUNCTION stats_rollups_track_open();
`;

/**
 * stats_rollups_fill (0110), which a calendar recompute and a rebuild use, with the open tasks
 * run after the sketches (`withOpen`), or as 0110 left it.
 */
const fill = (withOpen: boolean): string => `
  CREATE OR REPLACE FUNCTION stats_rollups_fill(facts text, rollups text, org uuid DEFAULT NULL) RETURNS void
    LANGUAGE plpgsql AS $f$
  DECLARE
    r record;
    only_org text := CASE WHEN org IS NULL THEN '' ELSE format('WHERE org_id = %L', org) END;
  BEGIN
    EXECUTE stats_rollups_add_sql(format(
      'SELECT 1 AS sign, org_id, task_type, created_at, resolved_at, outcome, resolution, private, resolution_seconds, business_seconds FROM %I %s',
      facts, only_org), rollups);
    FOR r IN EXECUTE format('SELECT org_id, task_type, private FROM %I %s GROUP BY 1, 2, 3', rollups, only_org)
    LOOP
      PERFORM stats_rollups_run(rollups, r.org_id, r.task_type, r.private, '-infinity');
    END LOOP;
    ${
      withOpen
        ? `EXECUTE stats_rollups_open_sql(format(
      'SELECT org_id, task_type, private, ''-infinity''::date AS since FROM %I %s GROUP BY 1, 2, 3', rollups, only_org), rollups);`
        : ''
    }
  END
  $f$;
`;
