import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import type { DataSource } from 'typeorm';
import { createDataSource, ensureDatabase, migrate } from '@taskinbox/database';
import { readModelEntities } from '@taskinbox/read-models';
import { CalendarService, StatsService } from '@taskinbox/query';

// Stats query time on a large history: one organisation with 1,000,000 resolved tasks in the
// default period (the last six months), 1,000,000 more facts spread over 50 other organisations,
// then each statistic as the API runs it (StatsService: the scope query and the statistic, in
// one transaction), warm, median of 5 runs. Goal: each ≤ 300 ms on 2 cores. Beside them, the raw
// limits of the same run: plain index-only counts of the rows the statistics read, and a plain
// sort of the durations the percentiles need.

export interface StatsFigure {
  label: string;
  medianMs: number;
  minMs: number;
  maxMs: number;
}

export interface StatsBenchResult {
  resolvedTasks: number;
  noiseFacts: number;
  seedSeconds: number;
  /** The floor: touching the same rows without computing anything. */
  rawLimits: StatsFigure[];
  queries: StatsFigure[];
}

const benchOrg = '0b0b0b0b-0000-4000-8000-000000000001';
const resolvedTasks = 1_000_000;
const openTasks = 10_000;
const noiseOrgs = 50;
const noiseFacts = 1_000_000;
const runs = 5;

/**
 * Seeds task_facts in `url` (a scratch database: its name must contain 'bench'; it is created
 * and migrated if needed, and its task_facts emptied) and times every statistic.
 */
export async function statsQueries(url: string): Promise<StatsBenchResult> {
  if (!new URL(url).pathname.includes('bench'))
    throw new Error(`Refusing to empty task_facts in '${url}': use a database whose name contains 'bench'.`);
  await ensureDatabase(url);
  await migrate(url);
  const dataSource = await createDataSource(url, { entities: readModelEntities, poolSize: 2 }).initialize();
  try {
    const seedStarted = performance.now();
    await seed(dataSource);
    const seedSeconds = (performance.now() - seedStarted) / 1000;

    // With the settings StatsService gives its statistics (64 MB work_mem, no JIT), for a like-for-like floor.
    const raw = (sql: string) => () =>
      dataSource.transaction(async (db) => {
        await db.query(`SELECT set_config('work_mem', '64MB', true), set_config('jit', 'off', true)`);
        return db.query(sql, [benchOrg]);
      });
    const period = `org_id = $1 AND %s >= now() - interval '6 months' AND %s < now()`;
    const limits: [string, () => Promise<unknown>][] = [
      [
        'count(*) of facts resolved in the period',
        raw(`SELECT count(*) FROM task_facts WHERE ${period.replaceAll('%s', 'resolved_at')}`),
      ],
      [
        'count(*) of facts created in the period',
        raw(`SELECT count(*) FROM task_facts WHERE ${period.replaceAll('%s', 'created_at')}`),
      ],
      [
        'ORDER BY resolution_seconds of those resolved',
        raw(
          `SELECT resolution_seconds FROM task_facts WHERE ${period.replaceAll('%s', 'resolved_at')} ORDER BY 1 OFFSET 2000000`,
        ),
      ],
    ];
    const rawLimits: StatsFigure[] = [];
    for (const [label, run] of limits) rawLimits.push(await time(label, run));

    const stats = new StatsService(dataSource);
    const measures: [string, () => Promise<unknown>][] = [
      ['resolution-time', () => stats.resolutionTime(benchOrg, {}, { privateTasks: 'counted' })],
      ['resolution-time?businessHours=true', () => stats.resolutionTime(benchOrg, { businessHours: true }, { privateTasks: 'counted' })],
      ['resolution-time?type=refund.approval', () => stats.resolutionTime(benchOrg, { type: 'refund.approval' }, { privateTasks: 'counted' })],
      ['outcomes', () => stats.outcomes(benchOrg, {}, { privateTasks: 'counted' })],
      ['outcomes?type=refund.approval', () => stats.outcomes(benchOrg, { type: 'refund.approval' }, { privateTasks: 'counted' })],
      ['outcomes as a service (private tasks left out)', () => stats.outcomes(benchOrg, {}, { privateTasks: 'left-out' })],
      ['backlog?interval=day', () => stats.backlog(benchOrg, { interval: 'day' }, { privateTasks: 'counted' })],
      [
        'backlog?interval=week&type=refund.approval',
        () => stats.backlog(benchOrg, { interval: 'week', type: 'refund.approval' }, { privateTasks: 'counted' }),
      ],
      ['throughput?interval=day', () => stats.throughput(benchOrg, { interval: 'day' }, { privateTasks: 'counted' })],
    ];
    const queries: StatsFigure[] = [];
    for (const [label, run] of measures) queries.push(await time(label, run));
    return { resolvedTasks, noiseFacts, seedSeconds, rawLimits, queries };
  } finally {
    await dataSource.destroy();
  }
}

/** PUT /api/settings/calendar on the seeded organisation: one UPDATE recomputing 1,000,000 rows (run once). */
export async function calendarRecompute(url: string): Promise<StatsFigure> {
  const dataSource = await createDataSource(url, { entities: readModelEntities, poolSize: 2 }).initialize();
  try {
    const calendars = new CalendarService(dataSource);
    const started = performance.now();
    await calendars.replace(benchOrg, {
      timeZone: 'Europe/Berlin',
      workingDays: [1, 2, 3, 4, 5, 6],
      dayStart: '08:00',
      dayEnd: '18:00',
    });
    const ms = Math.round(performance.now() - started);
    return {
      label: `calendar PUT, recompute ${resolvedTasks.toLocaleString('en')} tasks`,
      medianMs: ms,
      minMs: ms,
      maxMs: ms,
    };
  } finally {
    await dataSource.destroy();
  }
}

async function seed(db: DataSource): Promise<void> {
  await db.query('TRUNCATE task_facts');
  await db.query(
    `INSERT INTO org_calendars (org_id, time_zone, working_days, day_start, day_end)
     VALUES ($1, 'Europe/Berlin', '{1,2,3,4,5}', '09:00', '17:00')
     ON CONFLICT (org_id) DO UPDATE SET time_zone = EXCLUDED.time_zone, working_days = EXCLUDED.working_days,
       day_start = EXCLUDED.day_start, day_end = EXCLUDED.day_end`,
    [benchOrg],
  );
  // Created evenly over the 176 days up to 6 days ago, resolved within 5 days (skewed short),
  // so every resolution falls inside the default six-month period; one in seven cancelled.
  await db.query(
    `INSERT INTO task_facts (task_id, org_id, task_type, created_at, first_claimed_at, first_response_at,
       resolved_at, outcome, resolution, resolution_seconds, business_seconds)
     SELECT gen_random_uuid(), $1, (ARRAY['refund.approval', 'content.flag', 'user.onboard', 'kyc.review', 'dispute'])[1 + i % 5],
       created, created + took / 10, created + took / 10, created + took,
       CASE WHEN i % 7 = 0 THEN 'cancelled' ELSE 'completed' END,
       CASE WHEN i % 7 = 0 THEN NULL ELSE (ARRAY['accepted', 'rejected', 'rejected', 'done'])[1 + i % 4] END,
       extract(epoch FROM took),
       business_seconds(created, created + took, 'Europe/Berlin', '{1,2,3,4,5}', '09:00', '17:00')
     FROM (SELECT i, now() - interval '182 days' + (i::double precision / $2::int) * interval '176 days' AS created,
                  (random() ^ 3) * interval '5 days' AS took
           FROM generate_series(1, $2::int) AS i) AS s`,
    [benchOrg, resolvedTasks],
  );
  await db.query(
    `INSERT INTO task_facts (task_id, org_id, task_type, created_at)
     SELECT gen_random_uuid(), $1, 'refund.approval', now() - random() * interval '180 days' FROM generate_series(1, $2::int)`,
    [benchOrg, openTasks],
  );
  await db.query(
    `INSERT INTO task_facts (task_id, org_id, task_type, created_at, resolved_at, outcome, resolution, resolution_seconds, business_seconds)
     SELECT gen_random_uuid(), ('0b0b0b0b-0000-4000-8000-' || lpad((2 + i % $1::int)::text, 12, '0'))::uuid, 'refund.approval',
       created, created + took, 'completed', 'accepted', extract(epoch FROM took), extract(epoch FROM took) / 4
     FROM (SELECT i, now() - random() * interval '365 days' AS created, random() * interval '2 days' AS took
           FROM generate_series(1, $2::int) AS i) AS s`,
    [noiseOrgs, noiseFacts],
  );
  // Steady state: autovacuum would have set the visibility map that index-only scans rely on.
  await db.query('VACUUM (ANALYZE) task_facts');
}

async function time(label: string, run: () => Promise<unknown>): Promise<StatsFigure> {
  await run();
  const samples: number[] = [];
  for (let index = 0; index < runs; index++) {
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return {
    label,
    medianMs: round(samples[Math.floor(runs / 2)]),
    minMs: round(samples[0]),
    maxMs: round(samples[runs - 1]),
  };
}

async function main(): Promise<void> {
  const url = process.env.BENCH_STATS_URL ?? 'postgres://postgres@127.0.0.1:5432/taskinbox_bench_stats';
  console.log(`bench:stats — ${new Date().toISOString()}, ${url.replace(/\/\/[^@]*@/, '//')}`);
  const result = await statsQueries(url);
  console.log(
    `seeded ${result.resolvedTasks.toLocaleString('en')} resolved tasks (+${openTasks.toLocaleString('en')} open) for one organisation ` +
      `and ${result.noiseFacts.toLocaleString('en')} facts for ${noiseOrgs} others in ${result.seedSeconds.toFixed(1)} s`,
  );
  const print = (figure: StatsFigure) =>
    console.log(
      `  ${figure.label.padEnd(48)} ${figure.medianMs.toFixed(1).padStart(8)} ms  (min ${figure.minMs}, max ${figure.maxMs})`,
    );
  console.log(`\nRaw limits (same rows, nothing computed), warm, median of ${runs}`);
  result.rawLimits.forEach(print);
  console.log(`\nGET /api/stats/… (default period: last six months), warm, median of ${runs}`);
  result.queries.forEach(print);
  print(await calendarRecompute(url));
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
