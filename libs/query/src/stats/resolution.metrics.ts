import type { Pool } from 'pg';
import { cachedFor, type ComputedValue, type MetricsRegistry } from '@taskinbox/metrics';

/** Upper bounds of the resolution-time buckets, in seconds: 1 min … 1 week. */
export const resolutionBuckets = [60, 300, 900, 1800, 3600, 7200, 14400, 28800, 86400, 172800, 604800] as const;

/**
 * width_bucket counts the bounds at or below a value; Prometheus's `le` wants those strictly
 * below it. Negated and reversed bounds count the bounds at or above it, and the rest are below.
 */
const bucketParameters = [[...resolutionBuckets].reverse().map((bound) => -bound), resolutionBuckets.length];

interface Row {
  org: string;
  org_id: string;
  type: string;
  /** 'completed' | 'cancelled' for resolved tasks; 'pending' | 'processing' | 'waiting' for open ones. */
  kind: string;
  /** How many bounds lie below the duration (the first bucket whose `le` holds it); null unless completed. */
  bucket: number | null;
  n: number;
  seconds: number;
}

// One pass over each read model: resolved tasks by outcome (and completed ones by time bucket),
// open tasks by status. Grouped on ids first and joined to the slugs after (about four times quicker
// than grouping joined rows, bench:metrics). Only counts and durations leave the database.
const statsSql = `
  SELECT o.slug AS org, f.org_id::text AS org_id, f.task_type AS type, f.kind, f.bucket, f.n, f.seconds
    FROM (SELECT org_id, task_type, outcome AS kind,
                 CASE WHEN outcome = 'completed' THEN $2::int - width_bucket(-resolution_seconds, $1::float8[]) END AS bucket,
                 count(*)::int AS n, coalesce(sum(resolution_seconds), 0)::float8 AS seconds
            FROM task_facts
           WHERE resolved_at IS NOT NULL AND outcome IS NOT NULL
           GROUP BY 1, 2, 3, 4) f
    JOIN organisations o ON o.id = f.org_id
  UNION ALL
  SELECT o.slug, t.org_id::text, t.task_type, t.status, NULL, t.n, 0
    FROM (SELECT org_id, task_type, status, count(*)::int AS n
            FROM inbox_tasks
           WHERE status IN ('pending', 'processing', 'waiting')
           GROUP BY 1, 2, 3) t
    JOIN organisations o ON o.id = t.org_id`;

/** The query in a transaction of its own, without JIT (compiling it costs more than it saves here). */
async function readStats(pool: Pool): Promise<Row[]> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN READ ONLY');
    await client.query(`SELECT set_config('jit', 'off', true)`);
    const { rows } = await client.query<Row>(statsSql, bucketParameters);
    await client.query('COMMIT');
    return rows;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

export interface ResolutionFigures {
  resolved: ComputedValue[];
  resolution: ComputedValue[];
  open: ComputedValue[];
}

/** Turns the grouped rows into the three families' series (histogram buckets cumulative, `le` as Prometheus wants). */
export function resolutionFigures(rows: Row[]): ResolutionFigures {
  const resolved = new Map<string, ComputedValue>();
  const open: ComputedValue[] = [];
  const histograms = new Map<
    string,
    { labels: Record<string, string>; buckets: number[]; count: number; sum: number }
  >();
  for (const row of rows) {
    const labels = { org: row.org, org_id: row.org_id, type: row.type };
    if (row.kind === 'completed' || row.kind === 'cancelled') {
      // Completed rows come one per time bucket: their counts add up.
      const key = JSON.stringify([row.org_id, row.type, row.kind]);
      const found = resolved.get(key);
      if (found) found.value += row.n;
      else resolved.set(key, { labels: { ...labels, outcome: row.kind }, value: row.n });
      if (row.kind !== 'completed') continue;
      const histogramKey = JSON.stringify([row.org_id, row.type]);
      let histogram = histograms.get(histogramKey);
      if (!histogram) {
        histogram = { labels, buckets: resolutionBuckets.map(() => 0), count: 0, sum: 0 };
        histograms.set(histogramKey, histogram);
      }
      histogram.count += row.n;
      histogram.sum += row.seconds;
      const index = row.bucket ?? resolutionBuckets.length;
      for (let le = Math.max(index, 0); le < resolutionBuckets.length; le++) histogram.buckets[le] += row.n;
    } else {
      open.push({ labels: { ...labels, status: row.kind }, value: row.n });
    }
  }
  const resolution: ComputedValue[] = [];
  for (const { labels, buckets, count, sum } of histograms.values()) {
    resolutionBuckets.forEach((bound, i) =>
      resolution.push({
        metricName: 'taskinbox_task_resolution_seconds_bucket',
        labels: { ...labels, le: bound },
        value: buckets[i],
      }),
    );
    resolution.push({
      metricName: 'taskinbox_task_resolution_seconds_bucket',
      labels: { ...labels, le: '+Inf' },
      value: count,
    });
    resolution.push({ metricName: 'taskinbox_task_resolution_seconds_sum', labels, value: sum });
    resolution.push({ metricName: 'taskinbox_task_resolution_seconds_count', labels, value: count });
  }
  return { resolved: [...resolved.values()], resolution, open };
}

/**
 * Resolution stats for the operator's Prometheus, per organisation and task type, read from the
 * read models in one query on scrape and kept 10 s. Series: orgs × types × (2 outcomes + 3 open
 * statuses + 14 histogram series); 50 orgs with 10 types each make under 10 000.
 */
export function registerResolutionMetrics(metrics: MetricsRegistry, pool: Pool): void {
  const figures = cachedFor(10_000, async () => resolutionFigures(await readStats(pool)));
  metrics.computed({
    name: 'taskinbox_tasks_resolved_total',
    labelNames: ['org', 'org_id', 'type', 'outcome'],
    help: 'Tasks resolved, by organisation, task type and outcome (completed, cancelled), from the read model.',
    type: 'counter',
    values: async () => (await figures()).resolved,
  });
  metrics.computed({
    name: 'taskinbox_task_resolution_seconds',
    labelNames: ['org', 'org_id', 'type'],
    help: 'Time from creation to completion of completed tasks, by organisation and task type, from the read model.',
    type: 'histogram',
    values: async () => (await figures()).resolution,
  });
  metrics.computed({
    name: 'taskinbox_tasks_open',
    labelNames: ['org', 'org_id', 'type', 'status'],
    help: 'Open tasks (the backlog) by organisation, task type and status (pending, processing, waiting).',
    type: 'gauge',
    values: async () => (await figures()).open,
  });
}
