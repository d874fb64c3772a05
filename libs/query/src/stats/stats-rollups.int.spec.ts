import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { DataSource } from 'typeorm';
import { createDataSource } from '@taskinbox/database';
import { readModelEntities } from '@taskinbox/read-models';
import { createTestDatabase, type TestDatabase } from '@taskinbox/testing';
import pino from 'pino';
import { CalendarService } from '../calendar/calendar.service';
import { relativeAccuracy } from './duration.sketch';
import { StatsRecomputeWorker } from './stats-recompute.worker';
import { type StatsAudience, StatsService } from './stats.service';

// The raw statistics (one SQL statement over task_facts) are the check on the rollups: on random
// histories, written and rewritten as a projector would (upserts, replays, deletions, private
// flags flipped), every count the rollups give is the exact one and every percentile is within
// the sketch's stated relative error (1%) of percentile_cont.

let database: TestDatabase;
let db: DataSource;
let fromRollups: StatsService;
let exact: StatsService;

beforeAll(async () => {
  database = await createTestDatabase('rollups');
  db = await createDataSource(database.url, { entities: readModelEntities, poolSize: 5 }).initialize();
  // Sketches at every size: no exact shortcut for small counts.
  fromRollups = new StatsService(db, { exactPercentilesUpTo: 0 });
  exact = new StatsService(db, { rollups: false });
});
afterAll(async () => {
  await db?.destroy();
  await database?.drop();
});

const zones = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Pacific/Chatham'];
const types = ['refund.approval', 'content.flag', 'kyc.review'];
const march = Date.UTC(2026, 2, 1);
const day = 86_400_000;

/** A fact created between day `first` and day `last` of March, open for up to 10^`longest` seconds. */
const factOver = (first: number, last: number, longest: number) =>
  fc.record({
    type: fc.constantFrom(...types),
    createdMs: fc.integer({ min: first * day, max: last * day }),
    // From no time at all to `longest`, spread over every order of magnitude.
    tookSeconds: fc.oneof(
      fc.constant(0),
      fc.double({ min: -2, max: longest, noNaN: true }).map((e) => 10 ** e),
    ),
    outcome: fc.constantFrom('completed', 'completed', 'cancelled', null),
    resolution: fc.constantFrom('accepted', 'rejected', null),
    private: fc.boolean(),
    // What happens to it after it is first written.
    later: fc.constantFrom('nothing', 'nothing', 'rewritten', 'deleted', 'private flipped'),
  });
// Up to ten days.
const fact = factOver(-5, 35, 5.94);

/** A period bound between day `first` and day `last`: a calendar date or an instant. */
const boundOver = (first: number, last: number) =>
  fc.oneof(
    fc.integer({ min: first, max: last }).map((d) => new Date(march + d * day).toISOString().slice(0, 10)),
    fc.integer({ min: first * 24, max: last * 24 }).map((h) => new Date(march + h * 3_600_000 + 17 * 60_000).toISOString()),
  );
const bound = boundOver(-3, 34);

const withinError = (estimate: number | null, truth: number | null): boolean =>
  estimate === null || truth === null
    ? estimate === truth
    : // Both are rounded to the millisecond; durations under 1 ms share the zero bucket.
      Math.abs(estimate - truth) <= relativeAccuracy * Math.abs(truth) + 0.002;

type Fact = typeof fact extends fc.Arbitrary<infer T> ? T : never;

async function write(orgId: string, zone: string, facts: Fact[]): Promise<void> {
  await db.query(
    `INSERT INTO org_calendars (org_id, time_zone, working_days, day_start, day_end) VALUES ($1, $2, '{1,2,3,4,5}', '09:00', '17:00')`,
    [orgId, zone],
  );
  const rows = facts.map((f) => {
    const created = new Date(march + f.createdMs);
    const resolved = f.outcome ? new Date(created.getTime() + f.tookSeconds * 1000) : null;
    return { ...f, id: randomUUID(), created: created.toISOString(), resolved: resolved?.toISOString() ?? null };
  });
  const upsert = (batch: typeof rows, flip = false) =>
    db.query(
      `INSERT INTO task_facts AS f (task_id, org_id, task_type, created_at, resolved_at, outcome, resolution, private,
                                    resolution_seconds, business_seconds)
       SELECT r.id, $1, r.type, r.created, r.resolved, r.outcome, CASE WHEN r.outcome = 'completed' THEN r.resolution END,
              r.private <> $4, extract(epoch FROM r.resolved - r.created),
              CASE WHEN r.resolved IS NOT NULL THEN business_seconds(r.created, r.resolved, $3, '{1,2,3,4,5}', '09:00', '17:00') END
       FROM jsonb_to_recordset($2::jsonb) AS r(id uuid, type text, created timestamptz, resolved timestamptz, outcome text,
                                               resolution text, private boolean)
       ON CONFLICT (task_id) DO UPDATE SET resolved_at = EXCLUDED.resolved_at, outcome = EXCLUDED.outcome,
         resolution = EXCLUDED.resolution, private = EXCLUDED.private, resolution_seconds = EXCLUDED.resolution_seconds,
         business_seconds = EXCLUDED.business_seconds`,
      [orgId, JSON.stringify(batch), zone, flip],
    );
  // Written in batches, as the projector does, then some of them again.
  for (let start = 0; start < rows.length; start += 7) await upsert(rows.slice(start, start + 7));
  await upsert(rows.filter((r) => r.later === 'rewritten'));
  await upsert(
    rows.filter((r) => r.later === 'private flipped'),
    true,
  );
  await db.query('DELETE FROM task_facts WHERE task_id = ANY($1::uuid[])', [
    rows.filter((r) => r.later === 'deleted').map((r) => r.id),
  ]);
}

describe('statistics from rollups', () => {
  jest.setTimeout(300_000);

  it('match the exact ones: counts equal, percentiles within 1%, on random histories', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...zones),
        fc.array(fact, { minLength: 0, maxLength: 120 }),
        fc.array(
          fc.record({
            from: bound,
            to: bound,
            type: fc.option(fc.constantFrom(...types), { nil: undefined }),
            businessHours: fc.boolean(),
            service: fc.boolean(),
          }),
          { minLength: 1, maxLength: 4 },
        ),
        async (zone, facts, queries) => {
          const orgId = randomUUID();
          await write(orgId, zone, facts);
          for (const { from, to, type, businessHours, service } of queries) {
            const [start, end] = from <= to ? [from, to] : [to, from];
            const query = { from: start, to: end, ...(type ? { type } : {}), businessHours };
            const audience: StatsAudience = { privateTasks: service ? 'left-out' : 'counted' };
            const ask = async <T>(stat: (s: StatsService) => Promise<T>): Promise<[T, T] | undefined> => {
              const truth = await stat(exact).catch((error: unknown) => error as Error);
              if (truth instanceof Error) {
                // An empty period (from = to): the same refusal either way.
                await expect(stat(fromRollups)).rejects.toThrow(truth.message);
                return undefined;
              }
              return [await stat(fromRollups), truth];
            };
            const times = await ask((s) => s.resolutionTime(orgId, query, audience));
            if (!times) continue;
            const [rolled, truth] = times;
            expect({ ...rolled, medianSeconds: 0, p90Seconds: 0 }).toEqual({
              ...truth,
              medianSeconds: 0,
              p90Seconds: 0,
            });
            expect(withinError(rolled.medianSeconds, truth.medianSeconds)).toBe(true);
            expect(withinError(rolled.p90Seconds, truth.p90Seconds)).toBe(true);

            const [rolledTypes, truthTypes] = (await ask((s) => s.resolutionTimeByType(orgId, query, audience)))!;
            const shape = (t: typeof rolledTypes) =>
              t.types
                .map((each) => ({ ...each, medianSeconds: 0, p90Seconds: 0 }))
                .sort((a, b) => a.type.localeCompare(b.type));
            expect(shape(rolledTypes)).toEqual(shape(truthTypes));
            for (const each of rolledTypes.types) {
              const other = truthTypes.types.find((t) => t.type === each.type)!;
              expect(withinError(each.medianSeconds, other.medianSeconds)).toBe(true);
              expect(withinError(each.p90Seconds, other.p90Seconds)).toBe(true);
            }

            const [rolledOutcomes, truthOutcomes] = (await ask((s) => s.outcomes(orgId, query, audience)))!;
            expect(rolledOutcomes).toEqual(truthOutcomes);

            for (const interval of ['day', 'week', 'month'] as const) {
              const [rolledSeries, truthSeries] = (await ask((s) =>
                s.throughput(orgId, { ...query, interval }, audience),
              ))!;
              expect(rolledSeries).toEqual(truthSeries);
              const [rolledBacklog, truthBacklog] = (await ask((s) => s.backlog(orgId, { ...query, interval }, audience)))!;
              expect(rolledBacklog).toEqual(truthBacklog);
            }
          }
        },
      ),
      {
        numRuns: 25,
        examples: [
          // Found in CI: a day holding only a task created (still open) had no running sketch,
          // so the whole days' sketch lost the day before's completions.
          [
            'UTC',
            [
              ...Array.from({ length: 6 }, () => ({
                type: 'refund.approval',
                createdMs: 0,
                tookSeconds: 0,
                outcome: 'completed',
                resolution: 'accepted',
                private: false,
                later: 'nothing',
              })),
              {
                type: 'kyc.review',
                createdMs: 1_019_000,
                tookSeconds: 1,
                outcome: 'completed',
                resolution: 'accepted',
                private: true,
                later: 'nothing',
              },
              {
                type: 'kyc.review',
                createdMs: 86_400_000,
                tookSeconds: 1,
                outcome: null,
                resolution: 'accepted',
                private: true,
                later: 'nothing',
              },
            ] as Fact[],
            [
              {
                from: '2026-03-02',
                to: '2026-03-01T00:17:00.000Z',
                type: undefined,
                businessHours: false,
                service: false,
              },
            ],
          ],
        ],
      },
    );
  });
});

describe('the backlog from rollups', () => {
  jest.setTimeout(300_000);

  // Dense histories (many tasks over two weeks, some open for days) so that the open count moves
  // within most days, and within the part of a day before a period's end.
  it('is the exact one at every bucket end, on dense random histories', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...zones),
        fc.array(factOver(-3, 11, 6.2), { maxLength: 150, size: 'medium' }),
        fc.array(
          fc.record({
            from: boundOver(-2, 12),
            to: boundOver(-2, 12),
            type: fc.option(fc.constantFrom(...types), { nil: undefined }),
            service: fc.boolean(),
          }),
          { minLength: 1, maxLength: 4 },
        ),
        async (zone, facts, queries) => {
          const orgId = randomUUID();
          await write(orgId, zone, facts);
          for (const { from, to, type, service } of queries) {
            const [start, end] = from <= to ? [from, to] : [to, from];
            const audience: StatsAudience = { privateTasks: service ? 'left-out' : 'counted' };
            for (const interval of ['day', 'week', 'month'] as const) {
              const query = { from: start, to: end, ...(type ? { type } : {}), interval };
              const truth = await exact.backlog(orgId, query, audience).catch((error: unknown) => error as Error);
              if (truth instanceof Error) {
                await expect(fromRollups.backlog(orgId, query, audience)).rejects.toThrow(truth.message);
                continue;
              }
              expect(await fromRollups.backlog(orgId, query, audience)).toEqual(truth);
            }
          }
        },
      ),
      { numRuns: 25 },
    );
  });
});

describe('a calendar change', () => {
  jest.setTimeout(120_000);

  it('recomputes in the background; stats answer meanwhile and, once done, from rollups regrouped in the new zone', async () => {
    const orgId = randomUUID();
    // Resolved near midnight UTC, so a zone 12¾ hours ahead moves them to other local days.
    const facts: Fact[] = Array.from({ length: 60 }, (_, i) => ({
      type: types[i % 3],
      createdMs: (i % 28) * day + 23 * 3_600_000,
      tookSeconds: 600 + i * 7_000,
      outcome: i % 5 === 0 ? 'cancelled' : 'completed',
      resolution: i % 2 === 0 ? 'accepted' : 'rejected',
      private: false,
      later: 'nothing',
    }));
    await write(orgId, 'UTC', facts);
    const worker = new StatsRecomputeWorker(db, pino({ level: 'silent' }));
    const calendars = new CalendarService(db, worker);
    const audience: StatsAudience = { privateTasks: 'counted' };
    const query = { from: '2026-03-03', to: '2026-03-20', businessHours: true };
    const before = await exact.resolutionTime(orgId, query, audience);

    // A projector batch in flight holds the recompute back (it waits for batches that read the old calendar).
    const batch = db.createQueryRunner();
    await batch.startTransaction();
    await batch.query('LOCK TABLE task_facts IN ROW EXCLUSIVE MODE');
    const started = await calendars.replace(orgId, {
      timeZone: 'Pacific/Chatham',
      workingDays: [1, 2, 3, 4, 5, 6, 7],
      dayStart: '00:00',
      dayEnd: '24:00',
    });
    expect(started.recomputedTasks).toBe(60);
    expect(await worker.progress(orgId)).toEqual({
      state: expect.stringMatching(/^(queued|running)$/),
      done: 0,
      total: 60,
    });
    // Meanwhile stats answer from the facts as they are (the days are the new zone's already),
    // not from rollups grouped by the old zone's days.
    const meanwhile = await fromRollups.resolutionTime(orgId, query, audience);
    expect(meanwhile).toEqual(await exact.resolutionTime(orgId, query, audience));
    expect(meanwhile.slowestSeconds).toBe(before.slowestSeconds);
    await batch.rollbackTransaction();
    await batch.release();

    // Run as the query service does after the PUT commits (and every few seconds).
    for (let i = 0; (await worker.progress(orgId)).state !== 'done' && i < 200; i++) {
      worker.kick();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await worker.onApplicationShutdown();
    expect(await worker.progress(orgId)).toEqual({ state: 'done', done: 60, total: 60 });
    const after = await exact.resolutionTime(orgId, query, audience);
    // Every hour counts now: business time is the wall-clock time.
    expect(after.slowestSeconds).not.toBe(before.slowestSeconds);
    for (const businessHours of [true, false]) {
      const rolled = await fromRollups.resolutionTime(orgId, { ...query, businessHours }, audience);
      const truth = await exact.resolutionTime(orgId, { ...query, businessHours }, audience);
      expect({ ...rolled, medianSeconds: 0, p90Seconds: 0 }).toEqual({ ...truth, medianSeconds: 0, p90Seconds: 0 });
      expect(withinError(rolled.medianSeconds, truth.medianSeconds)).toBe(true);
      expect(withinError(rolled.p90Seconds, truth.p90Seconds)).toBe(true);
    }
    expect(await fromRollups.outcomes(orgId, query, audience)).toEqual(await exact.outcomes(orgId, query, audience));
    // The open tasks at each day's end are run again with the regrouped days.
    for (const interval of ['day', 'week'] as const) {
      const backlog = { ...query, from: '2026-02-20', interval };
      expect(await fromRollups.backlog(orgId, backlog, audience)).toEqual(await exact.backlog(orgId, backlog, audience));
    }
  });
});
