import { Inject, Injectable, Optional } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { defaultCalendar } from '@taskinbox/read-models';
import { invalidParam } from '../tasks/query-param.helpers';
import { type SketchCounts, sketchPercentiles } from './duration.sketch';
import type { ResolutionTimeQueryDto, SeriesInterval, SeriesQueryDto, StatsQueryDto } from './stats-query.dto';
import type {
  BacklogStats,
  OutcomeShare,
  OutcomeStats,
  ResolutionTimeByTypeStats,
  ResolutionTimeStats,
  StatsScope,
  ThroughputStats,
} from './stats.view';

/** Most buckets one series may have (a bit under three years of days). */
export const MAX_SERIES_BUCKETS = 1000;

// Per statistic, for its transaction only: percentiles sort up to a million durations in memory
// instead of spilling to disk, and JIT stays off because compiling costs more (60-160 ms per
// query, measured) than it saves on these index-only counts and one-column sorts.
const statsSettings = `SELECT set_config('work_mem', '64MB', true), set_config('jit', 'off', true)`;

const dayMs = 86_400_000;
const shortestBucketMs: Record<SeriesInterval, number> = { day: dayMs, week: 7 * dayMs, month: 28 * dayMs };
const isDate = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Whether a statistic counts private tasks: people see every task of their organisation, a
 * service only its own private ones, and a count cannot tell whose a task was, so statistics
 * a service reads leave private tasks out altogether (a rollup can keep the same split).
 */
export type PrivateTasks = 'counted' | 'left-out';

/** Whose statistics: which private tasks count, and for a member limited to assigned tasks, their assignee keys. */
export interface StatsAudience {
  privateTasks: PrivateTasks;
  assignedTo?: readonly string[];
}

/** The rows a statistic reads: one organisation, [from, to), maybe one type, days in `timeZone`. */
interface Scope {
  orgId: string;
  from: Date;
  to: Date;
  timeZone: string;
  type: string | null;
  privateTasks: PrivateTasks;
  assignedTo?: readonly string[];
  /**
   * The whole local days of the period, [firstDay, endDay), which the rollups answer, and the
   * absolute range they cover, [wholeFrom, wholeTo): the rest of [from, to) is read from the facts.
   * Without a whole day, wholeFrom = wholeTo = to.
   */
  firstDay: string;
  endDay: string;
  wholeFrom: Date;
  wholeTo: Date;
  /** Whether the rollups may answer: not while a calendar change is being recomputed. */
  rollupsReady: boolean;
}

/** How statistics are read; the defaults serve the API. */
export interface StatsReading {
  /** Read the rollups (resolution_rollups) for whole days; false: every figure from the facts. Default true. */
  rollups: boolean;
  /**
   * Up to this many completed tasks, percentiles come exact from the facts (cheap at that size);
   * above it, from the rollups' sketches, within 1%. Default 10,000.
   */
  exactPercentilesUpTo: number;
}

export const STATS_READING = Symbol('STATS_READING');
const defaultReading: StatsReading = { rollups: true, exactPercentilesUpTo: 10_000 };

/**
 * Resolution statistics over task_facts, each one SQL statement run by PostgreSQL (percentiles
 * with percentile_cont, per-day counts over the calendar zone's days); no fact rows reach Node.
 * All parameters are bound; the only SQL chosen here is fixed text picked by validated options.
 */
@Injectable()
export class StatsService {
  private readonly reading: StatsReading;

  constructor(
    private readonly dataSource: DataSource,
    @Optional() @Inject(STATS_READING) reading?: Partial<StatsReading>,
  ) {
    this.reading = { ...defaultReading, ...reading };
  }

  async resolutionTime(orgId: string, query: ResolutionTimeQueryDto, audience: StatsAudience): Promise<ResolutionTimeStats> {
    const businessHours = query.businessHours ?? false;
    const duration = businessHours ? 'business_seconds' : 'resolution_seconds';
    return this.read(orgId, query, audience, async (scope, db) => {
      if (this.usesRollups(scope)) {
        const [figures] = await this.rolledUp(db, scope, businessHours, false);
        if (!figures || figures.count > this.reading.exactPercentilesUpTo || figures.count === 0) {
          const [median, p90] = figures ? sketchPercentiles(figures.sketch, [0.5, 0.9]) : [null, null];
          return {
            ...scopeView(scope),
            count: figures?.count ?? 0,
            medianSeconds: milliseconds(median),
            p90Seconds: milliseconds(p90),
            slowestSeconds: figures?.slowest ?? null,
            businessHours,
          };
        }
      }
      // One sort serves both percentiles; interpolation noise is rounded off at the millisecond.
      const [row]: { count: number; median: number | null; p90: number | null; slowest: number | null }[] =
        await db.query(
          `SELECT count, round(percentiles[1]::numeric, 3)::float8 AS median, round(percentiles[2]::numeric, 3)::float8 AS p90, slowest
         FROM (SELECT count(seconds)::int AS count,
                      percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY seconds) AS percentiles,
                      max(seconds) AS slowest
               FROM (SELECT ${duration} AS seconds FROM task_facts
                     WHERE org_id = $1 AND resolved_at >= $2 AND resolved_at < $3 AND outcome = 'completed' ${typeCondition(scope, 4)}) AS resolved
              ) AS figures`,
          parameters(scope),
        );
      return {
        ...scopeView(scope),
        count: row.count,
        medianSeconds: row.median,
        p90Seconds: row.p90,
        slowestSeconds: row.slowest,
        businessHours,
      };
    });
  }

  /**
   * The same figures per type. Types come from the facts resolved or created in the period (two
   * index-only scans); created-only rows carry no duration, and aggregates skip nulls, so they
   * only make their type appear.
   */
  async resolutionTimeByType(orgId: string, query: ResolutionTimeQueryDto, audience: StatsAudience): Promise<ResolutionTimeByTypeStats> {
    const businessHours = query.businessHours ?? false;
    const duration = businessHours ? 'business_seconds' : 'resolution_seconds';
    return this.read(orgId, query, audience, async (scope, db) => {
      if (this.usesRollups(scope)) {
        const figures = await this.rolledUp(db, scope, businessHours, true);
        const completed = figures.reduce((sum, type) => sum + type.count, 0);
        if (completed > this.reading.exactPercentilesUpTo || completed === 0) {
          return {
            ...scopeView(scope),
            businessHours,
            types: figures
              .map(({ type, count, sketch, slowest }) => {
                const [median, p90] = sketchPercentiles(sketch, [0.5, 0.9]);
                return { type, count, medianSeconds: milliseconds(median), p90Seconds: milliseconds(p90), slowestSeconds: slowest };
              })
              .sort((a, b) => b.count - a.count || (a.type < b.type ? -1 : a.type > b.type ? 1 : 0)),
          };
        }
      }
      const rows: {
        type: string;
        count: number;
        median: number | null;
        p90: number | null;
        slowest: number | null;
      }[] = await db.query(
        `SELECT type, count, round(percentiles[1]::numeric, 3)::float8 AS median, round(percentiles[2]::numeric, 3)::float8 AS p90, slowest
         FROM (SELECT task_type AS type, count(seconds)::int AS count,
                      percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY seconds) AS percentiles,
                      max(seconds) AS slowest
               FROM (SELECT task_type, CASE WHEN outcome = 'completed' THEN ${duration} END AS seconds FROM task_facts
                     WHERE org_id = $1 AND resolved_at >= $2 AND resolved_at < $3 ${typeCondition(scope, 4)}
                     UNION ALL
                     SELECT task_type, NULL FROM task_facts
                     WHERE org_id = $1 AND created_at >= $2 AND created_at < $3 ${typeCondition(scope, 4)}) AS touched
               GROUP BY task_type
              ) AS figures
         ORDER BY count DESC, type`,
        parameters(scope),
      );
      return {
        ...scopeView(scope),
        businessHours,
        types: rows.map(({ type, count, median, p90, slowest }) => ({
          type,
          count,
          medianSeconds: median,
          p90Seconds: p90,
          slowestSeconds: slowest,
        })),
      };
    });
  }

  async outcomes(orgId: string, query: StatsQueryDto, audience: StatsAudience): Promise<OutcomeStats> {
    return this.read(orgId, query, audience, async (scope, db) => {
      const rows: (OutcomeShare & { total: number })[] = this.usesRollups(scope)
        ? await db.query(
            `WITH whole AS (
               SELECT resolutions, cancelled FROM resolution_rollups
               WHERE org_id = $1 AND day >= $4::date AND day < $5::date ${rollupCondition(scope, 8)}
             ),
             edge AS (
               SELECT outcome, CASE WHEN outcome = 'cancelled' THEN 'cancelled' ELSE coalesce(resolution, 'completed') END AS resolution
               FROM task_facts WHERE org_id = $1 AND ${edgeRange('resolved_at')} ${typeCondition(scope, 8)}
             ),
             counted AS (
               SELECT 'completed' AS outcome, e.key AS resolution, e.value::bigint AS n FROM whole w, jsonb_each_text(w.resolutions) e
               UNION ALL SELECT 'cancelled', 'cancelled', cancelled FROM whole WHERE cancelled <> 0
               UNION ALL SELECT outcome, resolution, 1 FROM edge
             ),
             grouped AS (SELECT outcome, resolution, sum(n) AS count FROM counted GROUP BY 1, 2 HAVING sum(n) <> 0)
             SELECT outcome, resolution, count::int AS count, round(count / sum(count) OVER (), 4)::float8 AS share,
                    sum(count) OVER ()::int AS total
             FROM grouped
             ORDER BY count DESC, resolution`,
            rollupParameters(scope),
          )
        : await db.query(
        `SELECT outcome,
                CASE WHEN outcome = 'cancelled' THEN 'cancelled' ELSE coalesce(resolution, 'completed') END AS resolution,
                count(*)::int AS count,
                round(count(*) / sum(count(*)) OVER (), 4)::float8 AS share,
                sum(count(*)) OVER ()::int AS total
         FROM task_facts
         WHERE org_id = $1 AND resolved_at >= $2 AND resolved_at < $3 ${typeCondition(scope, 4)}
         GROUP BY 1, 2
         ORDER BY count DESC, resolution`,
        parameters(scope),
      );
      return {
        ...scopeView(scope),
        total: rows[0]?.total ?? 0,
        outcomes: rows.map(({ outcome, resolution, count, share }) => ({ outcome, resolution, count, share })),
      };
    });
  }

  /**
   * Open tasks at each bucket's end: open at the period start plus the running sum of created −
   * finished. The start is derived from what is open at `to` (from the facts: open now − created
   * since `to` + finished since `to`; from the rollups: open at the end of the day before `to`'s,
   * plus that day's part before `to`), so the cost follows the period, not the whole history.
   */
  async backlog(orgId: string, query: SeriesQueryDto, audience: StatsAudience): Promise<BacklogStats> {
    const interval = query.interval ?? 'day';
    return this.read(orgId, query, audience, async (scope, db) => {
      assertBucketCount(scope, interval);
      const rows: { date: string; open: number; open_at_start: number }[] = this.usesRollups(scope)
        ? await db.query(
            `WITH ${bucketsCte},
             -- Created (+1) and finished (−1) in the partial days, and before the period back to the
             -- start of to's local day when the period lies within it (the anchor needs that part).
             moves AS (
               SELECT created_at AS at, 1 AS n FROM task_facts WHERE org_id = $1 AND ${backlogEdge('created_at')} ${typeCondition(scope, 11)}
               UNION ALL
               SELECT resolved_at, -1 FROM task_facts WHERE org_id = $1 AND ${backlogEdge('resolved_at')} ${typeCondition(scope, 11)}
             ),
             whole AS (
               SELECT task_type, private, day, created - completed - cancelled AS net, open_at_end
               FROM resolution_rollups WHERE org_id = $1 AND day >= $7::date AND day < $8::date ${rollupCondition(scope, 11)}
             ),
             rolled AS (SELECT date_trunc($5, day::timestamp) AS local_start, sum(net) AS net FROM whole GROUP BY 1),
             edge AS (
               SELECT date_trunc($5, at AT TIME ZONE $4) AS local_start, sum(n) AS net FROM moves WHERE at >= $2 GROUP BY 1
             ),
             changes AS (
               SELECT b.n, b.local_start, coalesce(r.net, 0) + coalesce(e.net, 0) AS net
               FROM buckets b
               LEFT JOIN rolled r ON r.local_start = b.local_start
               LEFT JOIN edge e ON e.local_start = b.local_start
             ),
             -- Open at the end of the day before to's: each type and flag's last row before it, among
             -- the whole days' rows read above or, for a type and flag with none there, the earlier ones.
             last_whole AS (SELECT DISTINCT ON (task_type, private) open_at_end FROM whole ORDER BY task_type, private, day DESC),
             earlier AS (
               SELECT task_type, private FROM resolution_rollups
               WHERE org_id = $1 AND day < least($7::date, $8::date) ${rollupCondition(scope, 11)}
               EXCEPT SELECT task_type, private FROM whole
             ),
             open_at_start AS MATERIALIZED (
               SELECT (SELECT coalesce(sum(open_at_end), 0) FROM last_whole)
                    + (SELECT coalesce(sum(last.open_at_end), 0) FROM earlier p
                       CROSS JOIN LATERAL (
                         SELECT r.open_at_end FROM resolution_rollups r
                         WHERE r.org_id = $1 AND r.task_type = p.task_type AND r.private = p.private AND r.day < $8::date
                         ORDER BY r.day DESC LIMIT 1
                       ) AS last)
                    + (SELECT coalesce(sum(n), 0) FROM moves WHERE at >= ${toDayStart})
                    - (SELECT sum(net) FROM changes) AS n
             )
             ${backlogSeries}`,
            [
              ...seriesParameters(scope, interval).slice(0, 6),
              scope.firstDay,
              scope.endDay,
              scope.wholeFrom,
              scope.wholeTo,
              ...typeParameter(scope),
            ],
          )
        : await db.query(
            `WITH ${bucketsCte},
             changes AS (
               SELECT b.n, b.local_start, c.n - f.n AS net
               FROM buckets b
               CROSS JOIN LATERAL (SELECT count(*) AS n FROM task_facts WHERE org_id = $1 AND created_at >= b.lo AND created_at < b.hi ${typeCondition(scope, 7)}) c
               CROSS JOIN LATERAL (SELECT count(*) AS n FROM task_facts WHERE org_id = $1 AND resolved_at >= b.lo AND resolved_at < b.hi ${typeCondition(scope, 7)}) f
             ),
             open_at_start AS MATERIALIZED (
               SELECT (SELECT count(*) FROM task_facts WHERE org_id = $1 AND resolved_at IS NULL ${typeCondition(scope, 7)})
                    - (SELECT count(*) FROM task_facts WHERE org_id = $1 AND created_at >= $3 ${typeCondition(scope, 7)})
                    + (SELECT count(*) FROM task_facts WHERE org_id = $1 AND resolved_at >= $3 ${typeCondition(scope, 7)})
                    - (SELECT sum(net) FROM changes) AS n
             )
             ${backlogSeries}`,
            seriesParameters(scope, interval),
          );
      return {
        ...scopeView(scope),
        timeZone: scope.timeZone,
        interval,
        openAtStart: rows[0]?.open_at_start ?? 0,
        buckets: rows.map(({ date, open }) => ({ date, open })),
      };
    });
  }

  async throughput(orgId: string, query: SeriesQueryDto, audience: StatsAudience): Promise<ThroughputStats> {
    const interval = query.interval ?? 'day';
    return this.read(orgId, query, audience, async (scope, db) => {
      assertBucketCount(scope, interval);
      if (this.usesRollups(scope)) {
        // Whole days from the rollups, summed into their week or month; the partial days from the facts.
        const type = typeCondition(scope, 11);
        const edge = (column: string): string =>
          `((${column} >= $2 AND ${column} < $9) OR (${column} >= $10 AND ${column} < $3)) ${type}`;
        const buckets: ThroughputStats['buckets'] = await db.query(
          `WITH ${bucketsCte},
           rolled AS (
             SELECT date_trunc($5, day::timestamp) AS local_start, sum(created) AS created, sum(completed) AS resolved,
                    sum(cancelled) AS cancelled
             FROM resolution_rollups WHERE org_id = $1 AND day >= $7::date AND day < $8::date ${rollupCondition(scope, 11)}
             GROUP BY 1
           ),
           made AS (
             SELECT date_trunc($5, created_at AT TIME ZONE $4) AS local_start, count(*) AS n
             FROM task_facts WHERE org_id = $1 AND ${edge('created_at')} GROUP BY 1
           ),
           ended AS (
             SELECT date_trunc($5, resolved_at AT TIME ZONE $4) AS local_start,
                    count(*) FILTER (WHERE outcome = 'completed') AS resolved, count(*) FILTER (WHERE outcome = 'cancelled') AS cancelled
             FROM task_facts WHERE org_id = $1 AND ${edge('resolved_at')} GROUP BY 1
           )
           SELECT to_char(b.local_start, 'YYYY-MM-DD') AS date,
                  (coalesce(r.created, 0) + coalesce(m.n, 0))::int AS created,
                  (coalesce(r.resolved, 0) + coalesce(e.resolved, 0))::int AS resolved,
                  (coalesce(r.cancelled, 0) + coalesce(e.cancelled, 0))::int AS cancelled
           FROM buckets b
           LEFT JOIN rolled r ON r.local_start = b.local_start
           LEFT JOIN made m ON m.local_start = b.local_start
           LEFT JOIN ended e ON e.local_start = b.local_start
           ORDER BY b.n`,
          [
            ...seriesParameters(scope, interval).slice(0, 6),
            scope.firstDay,
            scope.endDay,
            scope.wholeFrom,
            scope.wholeTo,
            ...typeParameter(scope),
          ],
        );
        return { ...scopeView(scope), timeZone: scope.timeZone, interval, buckets };
      }
      const type = typeCondition(scope, 7);
      const buckets: ThroughputStats['buckets'] = await db.query(
        `WITH ${bucketsCte}
         SELECT to_char(b.local_start, 'YYYY-MM-DD') AS date, c.created, f.resolved, f.cancelled
         FROM buckets b
         CROSS JOIN LATERAL (
           SELECT count(*)::int AS created FROM task_facts WHERE org_id = $1 AND created_at >= b.lo AND created_at < b.hi ${type}
         ) c
         CROSS JOIN LATERAL (
           SELECT count(*) FILTER (WHERE outcome = 'completed')::int AS resolved, count(*) FILTER (WHERE outcome = 'cancelled')::int AS cancelled
           FROM task_facts WHERE org_id = $1 AND resolved_at >= b.lo AND resolved_at < b.hi ${type}
         ) f
         ORDER BY b.n`,
        seriesParameters(scope, interval),
      );
      return { ...scopeView(scope), timeZone: scope.timeZone, interval, buckets };
    });
  }

  /** Rollups answer unless switched off, a calendar recompute runs, or the reader sees only assigned tasks. */
  private usesRollups(scope: Scope): boolean {
    return this.reading.rollups && scope.rollupsReady && !scope.assignedTo;
  }

  /**
   * Completed count, slowest duration and merged sketch per type (or one entry for all types):
   * whole days from the rollups, the period's partial days from the facts, bucketed the same way
   * (stats_sketch_key). With `byType`, a type with tasks only created or cancelled in the period
   * is listed with count 0.
   */
  private async rolledUp(
    db: EntityManager,
    scope: Scope,
    businessHours: boolean,
    byType: boolean,
  ): Promise<{ type: string; count: number; slowest: number | null; sketch: SketchCounts }[]> {
    const duration = businessHours ? 'business_seconds' : 'resolution_seconds';
    const group = byType ? 'task_type' : `''::text`;
    const created = byType
      ? `UNION ALL SELECT task_type, NULL FROM task_facts WHERE org_id = $1 AND ${edgeRange('created_at')} ${typeCondition(scope, 8)}`
      : '';
    const rows: { type: string; count: number; slowest: number | null; sketch: SketchCounts | null }[] = await db.query(
      `WITH whole AS (
         SELECT ${group} AS type, created, completed, cancelled, ${businessHours ? 'slowest_business' : 'slowest'} AS slowest
         FROM resolution_rollups
         WHERE org_id = $1 AND day >= $4::date AND day < $5::date ${rollupCondition(scope, 8)}
       ),
       edge AS (
         SELECT ${group} AS type, CASE WHEN outcome = 'completed' THEN ${duration} END AS seconds FROM task_facts
         WHERE org_id = $1 AND ${edgeRange('resolved_at')} ${typeCondition(scope, 8)}
         ${created}
       ),
       -- The whole days' sketch of each (type, flag): its running sketch at the last whole day minus
       -- the one at the day before the first (two rows each, found backwards on the primary key).
       parts AS (
         SELECT DISTINCT task_type, private FROM resolution_rollups
         WHERE org_id = $1 AND day < $5::date AND $4::date < $5::date ${rollupCondition(scope, 8)}
       ),
       ends AS (
         SELECT ${byType ? 'p.task_type' : `''::text`} AS type, upto.sketch AS upto, before.sketch AS before
         FROM parts p
         CROSS JOIN LATERAL (
           SELECT ${businessHours ? 'business_sketch_to_date' : 'sketch_to_date'} AS sketch FROM resolution_rollups r
           WHERE r.org_id = $1 AND r.task_type = p.task_type AND r.private = p.private AND r.day < $5::date
           ORDER BY r.day DESC LIMIT 1
         ) AS upto
         LEFT JOIN LATERAL (
           SELECT ${businessHours ? 'business_sketch_to_date' : 'sketch_to_date'} AS sketch FROM resolution_rollups r
           WHERE r.org_id = $1 AND r.task_type = p.task_type AND r.private = p.private AND r.day < $4::date
           ORDER BY r.day DESC LIMIT 1
         ) AS before ON true
       ),
       buckets AS (
         SELECT type, key, sum(n)::bigint AS n FROM (
           SELECT ends.type, e.key, e.value::bigint AS n FROM ends, jsonb_each_text(ends.upto) e
           UNION ALL SELECT ends.type, e.key, -e.value::bigint FROM ends, jsonb_each_text(ends.before) e
           UNION ALL SELECT type, stats_sketch_key(seconds), 1 FROM edge WHERE seconds IS NOT NULL
         ) AS b GROUP BY 1, 2 HAVING sum(n) <> 0
       ),
       types AS (
         SELECT type, sum(completed)::bigint AS count, max(slowest) AS slowest FROM whole
         WHERE created <> 0 OR completed <> 0 OR cancelled <> 0 GROUP BY 1
         UNION ALL SELECT type, count(seconds), max(seconds) FROM edge GROUP BY 1
       )
       SELECT t.type, sum(t.count)::int AS count, max(t.slowest) AS slowest,
              (SELECT jsonb_object_agg(b.key, b.n) FROM buckets b WHERE b.type = t.type) AS sketch
       FROM types t GROUP BY t.type`,
      rollupParameters(scope),
    );
    return rows.map((row) => ({ ...row, sketch: row.sketch ?? {} }));
  }

  /** Resolves the scope and runs `work` in one transaction, whose settings end with it. */
  private read<T>(
    orgId: string,
    query: StatsQueryDto,
    audience: StatsAudience,
    work: (scope: Scope, db: EntityManager) => Promise<T>,
  ): Promise<T> {
    return this.dataSource.transaction(async (db) => {
      await db.query(statsSettings);
      // Read by typeCondition's SQL, which every statement takes its conditions from; ends with the transaction.
      if (audience.assignedTo) await db.query("SELECT set_config('taskinbox.assigned_to', $1, true)", [JSON.stringify(audience.assignedTo)]);
      return work({ ...(await this.scope(db, orgId, query)), ...audience }, db);
    });
  }

  /**
   * The period in absolute time. A date-only bound is a day of the organisation's calendar zone
   * (`to` includes its whole day). Defaults: `to` now, `from` six calendar months before `to`.
   */
  private async scope(
    db: EntityManager,
    orgId: string,
    query: StatsQueryDto,
  ): Promise<Omit<Scope, 'privateTasks' | 'assignedTo'>> {
    const bound = (value: string | undefined, index: number, dayAfter: boolean): string =>
      value !== undefined && isDate.test(value)
        ? `(($${index}::date + ${dayAfter ? 1 : 0})::timestamp AT TIME ZONE zone.name)`
        : `$${index}::timestamptz`;
    const [row]: {
      from: Date;
      to: Date;
      time_zone: string;
      first_day: string;
      end_day: string;
      whole_from: Date;
      whole_to: Date;
      rollups_ready: boolean;
    }[] = await db.query(
      `WITH zone AS (
         SELECT coalesce((SELECT time_zone FROM org_calendars WHERE org_id = $1), $2) AS name
       ),
       given AS (
         SELECT zone.name, ${bound(query.from, 3, false)} AS from_at,
                coalesce(${bound(query.to, 4, true)}, now()) AS to_at
         FROM zone
       ),
       period AS (
         SELECT name, date_trunc('milliseconds', coalesce(from_at, ((to_at AT TIME ZONE name) - interval '6 months') AT TIME ZONE name)) AS from_at,
                date_trunc('milliseconds', to_at) AS to_at
         FROM given
       ),
       days AS (
         -- The first local day starting at or after from, and the local day holding to (whole days end before it).
         SELECT *, (from_at AT TIME ZONE name)::date + CASE WHEN (from_at AT TIME ZONE name)::time = '00:00' THEN 0 ELSE 1 END AS first_day,
                (to_at AT TIME ZONE name)::date AS end_day
         FROM period
       )
       SELECT from_at AS "from", to_at AS "to", name AS time_zone,
              to_char(first_day, 'YYYY-MM-DD') AS first_day, to_char(end_day, 'YYYY-MM-DD') AS end_day,
              CASE WHEN first_day < end_day THEN first_day::timestamp AT TIME ZONE name ELSE to_at END AS whole_from,
              CASE WHEN first_day < end_day THEN end_day::timestamp AT TIME ZONE name ELSE to_at END AS whole_to,
              NOT EXISTS (SELECT 1 FROM stats_recomputes r WHERE r.org_id = $1 AND r.state IN ('queued', 'running')) AS rollups_ready
       FROM days`,
      [orgId, defaultCalendar.timeZone, query.from ?? null, query.to ?? null],
    );
    if (row.from >= row.to) throw invalidParam('from', 'from must be before to');
    return {
      orgId,
      from: row.from,
      to: row.to,
      timeZone: row.time_zone,
      type: query.type ?? null,
      firstDay: row.first_day,
      endDay: row.end_day,
      wholeFrom: row.whole_from,
      wholeTo: row.whole_to,
      rollupsReady: row.rollups_ready,
    };
  }
}

/** Which facts count: private ones only when the scope says so, one type when asked (always the last parameter). */
const typeCondition = (scope: Scope, parameter: number): string =>
  (scope.privateTasks === 'counted' ? '' : 'AND NOT private ') +
  (scope.assignedTo ? `AND ${inAssignedScope} ` : '') +
  (scope.type === null ? '' : `AND task_type = $${parameter}`);

/** A member limited to assigned tasks counts only those assigned to them or their groups now. */
const inAssignedScope = `task_facts.task_id IN (SELECT i.task_id FROM inbox_tasks i WHERE i.org_id = $1
  AND i.assignees && ARRAY(SELECT jsonb_array_elements_text(current_setting('taskinbox.assigned_to')::jsonb)))`;
const typeParameter = (scope: Scope): unknown[] => (scope.type === null ? [] : [scope.type]);

// Parameters of the plain statistics: $1 org, $2 from, $3 to, $4 type.
const parameters = (scope: Scope): unknown[] => [scope.orgId, scope.from, scope.to, ...typeParameter(scope)];

// Parameters of the statistics read from rollups: $1 org, $2 from, $3 to, $4 first whole day,
// $5 end of the whole days, $6 wholeFrom, $7 wholeTo, $8 type.
const rollupParameters = (scope: Scope): unknown[] => [
  scope.orgId,
  scope.from,
  scope.to,
  scope.firstDay,
  scope.endDay,
  scope.wholeFrom,
  scope.wholeTo,
  ...typeParameter(scope),
];

/** The parts of [from, to) outside the whole days (rollup parameters). */
const edgeRange = (column: string): string =>
  `((${column} >= $2 AND ${column} < $6) OR (${column} >= $7 AND ${column} < $3))`;

// The backlog's parameters: the series' ($1-$6), then $7 first whole day, $8 end of the whole
// days (to's local day), $9 wholeFrom, $10 wholeTo, $11 type.
/** The start of to's local day. */
const toDayStart = `($8::date::timestamp AT TIME ZONE $4)`;

/**
 * The facts the backlog reads: the partial days of the period and, when the period starts within
 * to's local day, that day's part before it (the anchor counts from the day's start).
 */
const backlogEdge = (column: string): string =>
  `((${column} >= least($2::timestamptz, ${toDayStart}) AND ${column} < $9) OR (${column} >= $10 AND ${column} < $3))`;

/** typeCondition for resolution_rollups (assigned-only readers never read rollups). */
const rollupCondition = (scope: Scope, parameter: number): string =>
  (scope.privateTasks === 'counted' ? '' : 'AND NOT private ') + (scope.type === null ? '' : `AND task_type = $${parameter}`);

/** Rounded off at the millisecond, as the exact figures are. */
const milliseconds = (seconds: number | null): number | null => (seconds === null ? null : Math.round(seconds * 1000) / 1000);

const scopeView = (scope: Scope): StatsScope => ({
  period: { from: scope.from.toISOString(), to: scope.to.toISOString() },
  type: scope.type,
});

// Parameters of the series: $1 org, $2 from, $3 to, $4 zone, $5 unit, $6 step, $7 type.
function seriesParameters(scope: Scope, interval: SeriesInterval): unknown[] {
  return [scope.orgId, scope.from, scope.to, scope.timeZone, interval, `1 ${interval}`, ...typeParameter(scope)];
}

/** The backlog's answer, however `changes` (bucket n, its net change) and `open_at_start` were found. */
const backlogSeries = `SELECT to_char(local_start, 'YYYY-MM-DD') AS date,
         (open_at_start.n + sum(net) OVER (ORDER BY changes.n))::int AS open,
         open_at_start.n::int AS open_at_start
  FROM changes CROSS JOIN open_at_start
  ORDER BY changes.n`;

/**
 * Every local day (week, month) the period touches, as the absolute range [lo, hi) it covers
 * within the period: boundaries come from the calendar's zone (DST included), and each bucket is
 * then counted with index range scans, with no per-row time-zone arithmetic or grouping.
 */
const bucketsCte = `buckets AS (
    SELECT row_number() OVER (ORDER BY local_start) AS n, local_start,
           greatest($2::timestamptz, local_start AT TIME ZONE $4) AS lo,
           least($3::timestamptz, (local_start + $6::interval) AT TIME ZONE $4) AS hi
    FROM generate_series(
      date_trunc($5, $2::timestamptz AT TIME ZONE $4),
      date_trunc($5, ($3::timestamptz - interval '1 microsecond') AT TIME ZONE $4),
      $6::interval) AS local_start
  )`;

function assertBucketCount(scope: Scope, interval: SeriesInterval): void {
  const buckets = Math.ceil((scope.to.getTime() - scope.from.getTime()) / shortestBucketMs[interval]) + 1;
  if (buckets > MAX_SERIES_BUCKETS) {
    throw invalidParam(
      'interval',
      `the period has too many ${interval}s for one series (at most ${MAX_SERIES_BUCKETS}); use a longer interval or a shorter period`,
    );
  }
}
