import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { defaultCalendar } from '@taskinbox/read-models';
import { invalidParam } from '../tasks/query-param.helpers';
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
}

/**
 * Resolution statistics over task_facts, each one SQL statement run by PostgreSQL (percentiles
 * with percentile_cont, per-day counts over the calendar zone's days); no fact rows reach Node.
 * All parameters are bound; the only SQL chosen here is fixed text picked by validated options.
 */
@Injectable()
export class StatsService {
  constructor(private readonly dataSource: DataSource) {}

  async resolutionTime(orgId: string, query: ResolutionTimeQueryDto, audience: StatsAudience): Promise<ResolutionTimeStats> {
    const businessHours = query.businessHours ?? false;
    const duration = businessHours ? 'business_seconds' : 'resolution_seconds';
    return this.read(orgId, query, audience, async (scope, db) => {
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
      const rows: (OutcomeShare & { total: number })[] = await db.query(
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
   * finished. The start is derived from what is open now (open now − created since `from` +
   * finished since `from`), so the cost follows the period, not the organisation's whole history.
   */
  async backlog(orgId: string, query: SeriesQueryDto, audience: StatsAudience): Promise<BacklogStats> {
    const interval = query.interval ?? 'day';
    return this.read(orgId, query, audience, async (scope, db) => {
      assertBucketCount(scope, interval);
      const type = typeCondition(scope, 7);
      const rows: { date: string; open: number; open_at_start: number }[] = await db.query(
        `WITH ${bucketsCte},
         changes AS (
           SELECT b.n, b.local_start, c.n - f.n AS net
           FROM buckets b
           CROSS JOIN LATERAL (SELECT count(*) AS n FROM task_facts WHERE org_id = $1 AND created_at >= b.lo AND created_at < b.hi ${type}) c
           CROSS JOIN LATERAL (SELECT count(*) AS n FROM task_facts WHERE org_id = $1 AND resolved_at >= b.lo AND resolved_at < b.hi ${type}) f
         ),
         open_at_start AS MATERIALIZED (
           SELECT (SELECT count(*) FROM task_facts WHERE org_id = $1 AND resolved_at IS NULL ${type})
                - (SELECT count(*) FROM task_facts WHERE org_id = $1 AND created_at >= $3 ${type})
                + (SELECT count(*) FROM task_facts WHERE org_id = $1 AND resolved_at >= $3 ${type})
                - (SELECT sum(net) FROM changes) AS n
         )
         SELECT to_char(local_start, 'YYYY-MM-DD') AS date,
                (open_at_start.n + sum(net) OVER (ORDER BY changes.n))::int AS open,
                open_at_start.n::int AS open_at_start
         FROM changes CROSS JOIN open_at_start
         ORDER BY changes.n`,
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
  private async scope(db: EntityManager, orgId: string, query: StatsQueryDto): Promise<Omit<Scope, 'privateTasks'>> {
    const bound = (value: string | undefined, index: number, dayAfter: boolean): string =>
      value !== undefined && isDate.test(value)
        ? `(($${index}::date + ${dayAfter ? 1 : 0})::timestamp AT TIME ZONE zone.name)`
        : `$${index}::timestamptz`;
    const [row]: { from: Date; to: Date; time_zone: string }[] = await db.query(
      `WITH zone AS (
         SELECT coalesce((SELECT time_zone FROM org_calendars WHERE org_id = $1), $2) AS name
       ),
       given AS (
         SELECT zone.name, ${bound(query.from, 3, false)} AS from_at,
                coalesce(${bound(query.to, 4, true)}, now()) AS to_at
         FROM zone
       )
       SELECT date_trunc('milliseconds', coalesce(from_at, ((to_at AT TIME ZONE name) - interval '6 months') AT TIME ZONE name)) AS "from",
              date_trunc('milliseconds', to_at) AS "to",
              name AS time_zone
       FROM given`,
      [orgId, defaultCalendar.timeZone, query.from ?? null, query.to ?? null],
    );
    if (row.from >= row.to) throw invalidParam('from', 'from must be before to');
    return { orgId, from: row.from, to: row.to, timeZone: row.time_zone, type: query.type ?? null };
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

const scopeView = (scope: Scope): StatsScope => ({
  period: { from: scope.from.toISOString(), to: scope.to.toISOString() },
  type: scope.type,
});

// Parameters of the series: $1 org, $2 from, $3 to, $4 zone, $5 unit, $6 step, $7 type.
function seriesParameters(scope: Scope, interval: SeriesInterval): unknown[] {
  return [scope.orgId, scope.from, scope.to, scope.timeZone, interval, `1 ${interval}`, ...typeParameter(scope)];
}

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
