import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import type { DataSource } from 'typeorm';
import { createDataSource, ensureDatabase, migrate } from '@taskinbox/database';
import { readModelEntities } from '@taskinbox/read-models';
import pino from 'pino';
import { CalendarService, StatsRecomputeWorker, StatsService } from '@taskinbox/query';

// Stats query time on a large history: one organisation with 1,000,000 resolved tasks in the
// default period (the last six months), 1,000,000 more facts spread over 50 other organisations,
// then each statistic as the API runs it (StatsService: the scope query and the statistic, in
// one transaction), warm, median of 5 runs. Each is timed twice: from the rollups (the API's
// way: whole days from resolution_rollups, the partial edge days from the facts; target ≤ 25 ms,
// goal: below the raw count) and from the facts alone (the old way, kept as the check). Beside
// them, the raw limit of the same run: a plain index-only count(*) of the facts that statistic
// covers; and the general raw limits (counts, a plain sort of the durations).

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
  /** Each statistic as the API answers it: from the rollups. */
  queries: StatsFigure[];
  /** The same statistics read from the facts alone (the old way), in the same order. */
  factQueries: StatsFigure[];
  /** count(*) of the facts each statistic covers, in the same order: its raw limit. */
  sameRowCounts: StatsFigure[];
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
    const fromFacts = new StatsService(dataSource, { rollups: false });
    const people = { privateTasks: 'counted' } as const;
    const service = { privateTasks: 'left-out' } as const;
    const resolved = `SELECT count(*) FROM task_facts WHERE ${period.replaceAll('%s', 'resolved_at')}`;
    const created = `SELECT count(*) FROM task_facts WHERE ${period.replaceAll('%s', 'created_at')}`;
    const both = `SELECT (${resolved}) + (${created})`;
    const ofType = (sql: string) => sql.replaceAll('WHERE org_id = $1', `WHERE task_type = 'refund.approval' AND org_id = $1`);
    const notPrivate = (sql: string) => sql.replaceAll('WHERE org_id = $1', 'WHERE NOT private AND org_id = $1');
    // Each statistic (run against a StatsService), and the count(*) of the facts it covers.
    const measures: [string, (s: StatsService) => Promise<unknown>, string][] = [
      ['resolution-time', (s) => s.resolutionTime(benchOrg, {}, people), resolved],
      ['resolution-time?businessHours=true', (s) => s.resolutionTime(benchOrg, { businessHours: true }, people), resolved],
      ['resolution-time?type=refund.approval', (s) => s.resolutionTime(benchOrg, { type: 'refund.approval' }, people), ofType(resolved)],
      ['resolution-time/by-type', (s) => s.resolutionTimeByType(benchOrg, {}, people), both],
      ['outcomes', (s) => s.outcomes(benchOrg, {}, people), resolved],
      ['outcomes?type=refund.approval', (s) => s.outcomes(benchOrg, { type: 'refund.approval' }, people), ofType(resolved)],
      ['outcomes as a service (private tasks left out)', (s) => s.outcomes(benchOrg, {}, service), notPrivate(resolved)],
      ['backlog?interval=day', (s) => s.backlog(benchOrg, { interval: 'day' }, people), both],
      [
        'backlog?interval=week&type=refund.approval',
        (s) => s.backlog(benchOrg, { interval: 'week', type: 'refund.approval' }, people),
        ofType(both),
      ],
      ['throughput?interval=day', (s) => s.throughput(benchOrg, { interval: 'day' }, people), both],
    ];
    const queries: StatsFigure[] = [];
    const factQueries: StatsFigure[] = [];
    const sameRowCounts: StatsFigure[] = [];
    for (const [label, run, count] of measures) {
      queries.push(await time(label, () => run(stats)));
      factQueries.push(await time(label, () => run(fromFacts)));
      sameRowCounts.push(await time(label, raw(count)));
    }
    return { resolvedTasks, noiseFacts, seedSeconds, rawLimits, queries, factQueries, sameRowCounts };
  } finally {
    await dataSource.destroy();
  }
}

/**
 * PUT /api/settings/calendar on the seeded organisation (run once): the request, which only
 * queues the recompute, and the background recompute of 1,000,000 tasks and their rollups.
 */
export async function calendarRecompute(url: string): Promise<StatsFigure[]> {
  const dataSource = await createDataSource(url, { entities: readModelEntities, poolSize: 2 }).initialize();
  const worker = new StatsRecomputeWorker(dataSource, pino({ level: 'silent' }));
  try {
    const calendars = new CalendarService(dataSource, worker);
    const started = performance.now();
    await calendars.replace(benchOrg, {
      timeZone: 'Europe/Berlin',
      workingDays: [1, 2, 3, 4, 5, 6],
      dayStart: '08:00',
      dayEnd: '18:00',
    });
    const requestMs = Math.round(performance.now() - started);
    while ((await worker.progress(benchOrg)).state !== 'done') {
      if ((await worker.progress(benchOrg)).state === 'failed') throw new Error('the recompute failed');
      await new Promise((resolve) => setTimeout(resolve, 100));
      worker.kick();
    }
    const backgroundMs = Math.round(performance.now() - started);
    const figure = (label: string, ms: number): StatsFigure => ({ label, medianMs: ms, minMs: ms, maxMs: ms });
    return [
      figure('calendar PUT (queues the recompute)', requestMs),
      figure(`background recompute of ${resolvedTasks.toLocaleString('en')} tasks + rollups`, backgroundMs),
    ];
  } finally {
    await worker.onApplicationShutdown();
    await dataSource.destroy();
  }
}

async function seed(db: DataSource): Promise<void> {
  // The rollups go with the facts (their TRUNCATE trigger); a recompute of an earlier run is forgotten.
  await db.query('TRUNCATE task_facts');
  await db.query('DELETE FROM stats_recomputes');
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
  console.log(
    `\nGET /api/stats/… (default period: last six months), warm, median of ${runs} (ms): from rollups (the API), ` +
      `from the facts (the old way), and the raw limit: count(*) of the same facts`,
  );
  console.log(`  ${'statistic'.padEnd(48)} ${'rollups'.padStart(9)} ${'facts'.padStart(9)} ${'count(*)'.padStart(9)}  rollups/count`);
  result.queries.forEach((figure, index) => {
    const facts = result.factQueries[index].medianMs;
    const count = result.sameRowCounts[index].medianMs;
    console.log(
      `  ${figure.label.padEnd(48)} ${figure.medianMs.toFixed(1).padStart(9)} ${facts.toFixed(1).padStart(9)} ${count.toFixed(1).padStart(9)}  ${(figure.medianMs / count).toFixed(2)}`,
    );
  });
  console.log('');
  (await calendarRecompute(url)).forEach(print);
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
