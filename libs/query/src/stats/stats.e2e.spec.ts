import { DataSource } from 'typeorm';
import { ReadModelsModule } from '@taskinbox/read-models';
import { call, startTestApp, type TestApp, type TestOrganisation, undocumentedIn } from '@taskinbox/testing';
import { QueryModule } from '../query.module';
import { seedFact, type WorkingHours } from '../tasks/read-models.fixture';

let t: TestApp;
let db: DataSource;
let acme: TestOrganisation;
let globex: TestOrganisation;

const berlin: WorkingHours = {
  timeZone: 'Europe/Berlin',
  workingDays: [1, 2, 3, 4, 5],
  dayStart: '09:00',
  dayEnd: '17:00',
};
const hour = 3600;
// March 2026 in Berlin: CET (UTC+1) until Sunday 29 March, CEST (UTC+2) after.
const march = 'from=2026-03-01&to=2026-03-31';

/**
 * acme's history, every figure below worked out by hand from it. Times are UTC; Berlin's
 * local time is noted where the day or the working hours depend on it.
 */
const history = [
  // refund.approval, completed in March: 3 rejected, 2 accepted
  {
    name: 'f1',
    type: 'refund.approval',
    createdAt: '2026-03-02T08:00:00Z',
    resolvedAt: '2026-03-02T09:00:00Z',
    resolution: 'accepted',
  }, // Mon 09:00-10:00: 1 h, 1 business h
  {
    name: 'f2',
    type: 'refund.approval',
    createdAt: '2026-03-02T23:30:00Z',
    resolvedAt: '2026-03-03T01:30:00Z',
    resolution: 'rejected',
  }, // Tue 00:30-02:30 local: 2 h, 0 business
  {
    name: 'f3',
    type: 'refund.approval',
    createdAt: '2026-03-04T08:00:00Z',
    resolvedAt: '2026-03-04T11:00:00Z',
    resolution: 'rejected',
  }, // 3 h, 3 business h
  {
    name: 'f4',
    type: 'refund.approval',
    createdAt: '2026-03-05T08:00:00Z',
    resolvedAt: '2026-03-05T12:00:00Z',
    resolution: 'rejected',
  }, // 4 h, 4 business h
  {
    name: 'f5',
    type: 'refund.approval',
    createdAt: '2026-03-06T15:00:00Z',
    resolvedAt: '2026-03-09T09:00:00Z',
    resolution: 'accepted',
  }, // Fri 16:00 -> Mon 10:00: 66 h, 2 business h
  // content.flag
  {
    name: 'f6',
    type: 'content.flag',
    createdAt: '2026-03-10T08:00:00Z',
    resolvedAt: '2026-03-10T13:00:00Z',
    resolution: 'removed',
  }, // 5 h, 5 business h
  {
    name: 'p1',
    type: 'content.flag',
    createdAt: '2026-02-20T08:00:00Z',
    resolvedAt: '2026-03-02T12:00:00Z',
    resolution: 'accepted',
  }, // open at the start; 244 h, 52 business h
  {
    name: 'c1',
    type: 'refund.approval',
    createdAt: '2026-03-11T08:00:00Z',
    resolvedAt: '2026-03-11T09:00:00Z',
    outcome: 'cancelled' as const,
  },
  { name: 'o1', type: 'refund.approval', createdAt: '2026-03-12T08:00:00Z' }, // still open
  { name: 'p2', type: 'content.flag', createdAt: '2026-02-25T08:00:00Z' }, // open since before March
  {
    name: 'p3',
    type: 'content.flag',
    createdAt: '2026-02-01T08:00:00Z',
    resolvedAt: '2026-02-10T08:00:00Z',
    resolution: 'accepted',
  }, // all before March
  {
    name: 'p4',
    type: 'refund.approval',
    createdAt: '2026-02-27T08:00:00Z',
    resolvedAt: '2026-04-10T08:00:00Z',
    resolution: 'accepted',
  }, // open all March
  { name: 'z1', type: 'refund.approval', createdAt: '2026-03-31T21:30:00Z' }, // 31 March 23:30 CEST: in March
  { name: 'z2', type: 'refund.approval', createdAt: '2026-03-31T22:30:00Z' }, // 1 April 00:30 CEST: after March
];

beforeAll(async () => {
  t = await startTestApp({ imports: [ReadModelsModule, QueryModule] });
  db = t.app.get(DataSource);
  [acme, globex] = await Promise.all([t.createOrganisation('acme'), t.createOrganisation('globex')]);
  await t.pool.query(
    `INSERT INTO org_calendars (org_id, time_zone, working_days, day_start, day_end) VALUES ($1, 'Europe/Berlin', '{1,2,3,4,5}', '09:00', '17:00')`,
    [acme.id],
  );
  for (const { name: _name, ...fact } of history) await seedFact(db, { orgId: acme.id, ...fact }, berlin);
  // globex completes a task in March too; acme must never count it
  await seedFact(
    db,
    { orgId: globex.id, createdAt: '2026-03-02T08:00:00Z', resolvedAt: '2026-03-02T10:00:00Z', resolution: 'accepted' },
    berlin,
  );
});
afterAll(() => t?.close());

/** A stats answer; each one that succeeds is also held to the schema docs/openapi.json gives it. */
const stats = async (path: string, token = acme.tokens.viewer) => {
  const answer = await call(t.url, 'GET', `/api/stats/${path}`, { token });
  if (answer.status === 200) expect(undocumentedIn('GET', `/api/stats/${path.split('?')[0]}`, 200, answer.body)).toEqual([]);
  return answer;
};

describe('the business-hours function the facts are made with', () => {
  it('counts Friday 16:00 to Monday 10:00 in Berlin as 2 working hours', async () => {
    const { rows } = await t.pool.query(
      `SELECT business_seconds('2026-03-06 16:00 Europe/Berlin', '2026-03-09 10:00 Europe/Berlin', 'Europe/Berlin', '{1,2,3,4,5}', '09:00', '17:00') AS s`,
    );
    expect(rows[0].s).toBe(2 * hour);
    const f5 = await t.pool.query(
      `SELECT business_seconds, resolution_seconds FROM task_facts WHERE created_at = '2026-03-06T15:00:00Z'`,
    );
    expect(f5.rows[0]).toEqual({ business_seconds: 2 * hour, resolution_seconds: 66 * hour });
  });
});

describe('GET /api/stats/resolution-time', () => {
  it('median, p90 and slowest of the tasks completed in the period', async () => {
    const { status, body } = await stats(`resolution-time?${march}`);
    expect(status).toBe(200);
    // 1, 2, 3, 4, 5, 66, 244 h: p90 = 66 h + 0.4 × (244 h − 66 h)
    expect(body).toEqual({
      count: 7,
      medianSeconds: 4 * hour,
      p90Seconds: 493920,
      slowestSeconds: 244 * hour,
      businessHours: false,
      type: null,
      period: { from: '2026-02-28T23:00:00.000Z', to: '2026-03-31T22:00:00.000Z' },
    });
  });

  it('for one type', async () => {
    const { body } = await stats(`resolution-time?${march}&type=refund.approval`);
    // 1, 2, 3, 4, 66 h: p90 = 4 h + 0.6 × 62 h
    expect(body).toMatchObject({
      count: 5,
      medianSeconds: 3 * hour,
      p90Seconds: 148320,
      slowestSeconds: 66 * hour,
      type: 'refund.approval',
    });
  });

  it('in business hours: the weekend and the night do not count', async () => {
    const { body } = await stats(`resolution-time?${march}&type=refund.approval&businessHours=true`);
    // 0 (night), 1, 2 (over the weekend), 3, 4 h: p90 = 3 h + 0.6 × 1 h
    expect(body).toMatchObject({
      count: 5,
      medianSeconds: 2 * hour,
      p90Seconds: 12960,
      slowestSeconds: 4 * hour,
      businessHours: true,
    });
    const all = await stats(`resolution-time?${march}&businessHours=true`);
    // 0, 1, 2, 3, 4, 5, 52 h
    expect(all.body).toMatchObject({ count: 7, medianSeconds: 3 * hour, p90Seconds: 85680, slowestSeconds: 52 * hour });
  });

  it('takes timestamps with offsets as given ([from, to))', async () => {
    const { body } = await stats('resolution-time?from=2026-03-02T09:00:00Z&to=2026-03-04T11:00:00Z');
    // f1 (resolved 09:00, included) and f2; p1 at 12:00 too; f3 resolved exactly at `to` is not
    expect(body).toMatchObject({
      count: 3,
      period: { from: '2026-03-02T09:00:00.000Z', to: '2026-03-04T11:00:00.000Z' },
    });
  });

  it('defaults to the last six months', async () => {
    const now = Date.now();
    await seedFact(db, {
      orgId: acme.id,
      type: 'recent.check',
      createdAt: new Date(now - 2 * 86_400_000).toISOString(),
      resolvedAt: new Date(now - 86_400_000).toISOString(),
      resolution: 'done',
    });
    const { body } = await stats('resolution-time');
    expect(body.count).toBe(1);
    expect(body.medianSeconds).toBe(86_400);
    const to = Date.parse(body.period.to);
    const from = Date.parse(body.period.from);
    expect(Math.abs(to - Date.now())).toBeLessThan(60_000);
    expect((to - from) / 86_400_000).toBeGreaterThanOrEqual(181);
    expect((to - from) / 86_400_000).toBeLessThanOrEqual(185);
  });

  it('is empty, not an error, when nothing was resolved', async () => {
    const { status, body } = await stats(`resolution-time?${march}`, globex.tokens.admin);
    expect(status).toBe(200);
    expect(body).toMatchObject({ count: 1, medianSeconds: 2 * hour });
    const none = await stats(`resolution-time?${march}&type=nothing`);
    expect(none.body).toMatchObject({ count: 0, medianSeconds: null, p90Seconds: null, slowestSeconds: null });
  });
});

describe('GET /api/stats/resolution-time/by-type', () => {
  it('median, p90 and slowest of each type, most completed first', async () => {
    const { status, body } = await stats(`resolution-time/by-type?${march}`);
    expect(status).toBe(200);
    expect(body).toEqual({
      businessHours: false,
      type: null,
      period: { from: '2026-02-28T23:00:00.000Z', to: '2026-03-31T22:00:00.000Z' },
      types: [
        // 1, 2, 3, 4, 66 h, as resolution-time?type=refund.approval says; globex's task is not among them
        { type: 'refund.approval', count: 5, medianSeconds: 3 * hour, p90Seconds: 148320, slowestSeconds: 66 * hour },
        // 5, 244 h: median 124.5 h, p90 = 5 h + 0.9 × 239 h
        { type: 'content.flag', count: 2, medianSeconds: 448200, p90Seconds: 792360, slowestSeconds: 244 * hour },
      ],
    });
  });

  it('in business hours, and for one type', async () => {
    const { body } = await stats(`resolution-time/by-type?${march}&businessHours=true`);
    expect(body.businessHours).toBe(true);
    expect(body.types).toEqual([
      { type: 'refund.approval', count: 5, medianSeconds: 2 * hour, p90Seconds: 12960, slowestSeconds: 4 * hour },
      // 5, 52 h: median 28.5 h, p90 = 5 h + 0.9 × 47 h
      { type: 'content.flag', count: 2, medianSeconds: 102600, p90Seconds: 170280, slowestSeconds: 52 * hour },
    ]);
    const one = await stats(`resolution-time/by-type?${march}&type=content.flag`);
    expect(one.body).toMatchObject({ type: 'content.flag', types: [{ type: 'content.flag', count: 2 }] });
  });

  it('lists a type whose tasks were only created or cancelled in the period, with no figures', async () => {
    const created = await stats('resolution-time/by-type?from=2026-03-12&to=2026-03-20');
    const none = { count: 0, medianSeconds: null, p90Seconds: null, slowestSeconds: null };
    expect(created.body.types).toEqual([{ type: 'refund.approval', ...none }]); // o1
    const cancelled = await stats('resolution-time/by-type?from=2026-03-11&to=2026-03-11');
    expect(cancelled.body.types).toEqual([{ type: 'refund.approval', ...none }]); // c1
    const empty = await stats('resolution-time/by-type?from=2026-01-01&to=2026-01-31');
    expect(empty.body.types).toEqual([]);
  });

  it("counts only the caller's organisation", async () => {
    const { body } = await stats(`resolution-time/by-type?${march}`, globex.tokens.admin);
    expect(body.types).toEqual([
      { type: 'refund.approval', count: 1, medianSeconds: 2 * hour, p90Seconds: 2 * hour, slowestSeconds: 2 * hour },
    ]);
  });
});

describe('GET /api/stats/outcomes', () => {
  it('60% rejected / 40% accepted', async () => {
    const { status, body } = await stats(`outcomes?${march}&type=refund.approval`);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      total: 6,
      outcomes: [
        { outcome: 'completed', resolution: 'rejected', count: 3, share: 0.5 },
        { outcome: 'completed', resolution: 'accepted', count: 2, share: 0.3333 },
        { outcome: 'cancelled', resolution: 'cancelled', count: 1, share: 0.1667 },
      ],
    });
    const untilCancel = await stats('outcomes?from=2026-03-01&to=2026-03-10&type=refund.approval');
    expect(untilCancel.body).toMatchObject({
      total: 5,
      outcomes: [
        { resolution: 'rejected', count: 3, share: 0.6 },
        { resolution: 'accepted', count: 2, share: 0.4 },
      ],
    });
  });

  it('across types, with cancelled as its own outcome', async () => {
    const { body } = await stats(`outcomes?${march}`);
    expect(body.total).toBe(8);
    expect(body.outcomes).toEqual([
      { outcome: 'completed', resolution: 'accepted', count: 3, share: 0.375 },
      { outcome: 'completed', resolution: 'rejected', count: 3, share: 0.375 },
      { outcome: 'cancelled', resolution: 'cancelled', count: 1, share: 0.125 },
      { outcome: 'completed', resolution: 'removed', count: 1, share: 0.125 },
    ]);
    const empty = await stats(`outcomes?${march}&type=nothing`);
    expect(empty.body).toMatchObject({ total: 0, outcomes: [] });
  });
});

describe('GET /api/stats/backlog', () => {
  it('open tasks at the end of each Berlin day of March', async () => {
    const { status, body } = await stats(`backlog?${march}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ timeZone: 'Europe/Berlin', interval: 'day', openAtStart: 3 });
    const open = Object.fromEntries(
      body.buckets.map((bucket: { date: string; open: number }) => [bucket.date, bucket.open]),
    );
    expect(body.buckets).toHaveLength(31);
    expect(body.buckets[0].date).toBe('2026-03-01');
    expect(body.buckets[30].date).toBe('2026-03-31');
    expect(open).toMatchObject({
      '2026-03-01': 3, // p1, p2, p4
      '2026-03-02': 2, // + f1, − f1, − p1
      '2026-03-03': 2, // + f2 (00:30 local), − f2
      '2026-03-05': 2,
      '2026-03-06': 3, // + f5 on Friday
      '2026-03-08': 3,
      '2026-03-09': 2, // − f5 on Monday
      '2026-03-10': 2,
      '2026-03-11': 2, // + c1, − c1 (cancelled)
      '2026-03-12': 3, // + o1
      '2026-03-30': 3,
      '2026-03-31': 4, // + z1 at 23:30 local; z2 is already April in Berlin
    });
  });

  it('by week (Monday-based) and for one type', async () => {
    const { body } = await stats(`backlog?${march}&interval=week&type=content.flag`);
    expect(body.openAtStart).toBe(2);
    expect(body.buckets).toEqual([
      { date: '2026-02-23', open: 2 },
      { date: '2026-03-02', open: 1 },
      { date: '2026-03-09', open: 1 },
      { date: '2026-03-16', open: 1 },
      { date: '2026-03-23', open: 1 },
      { date: '2026-03-30', open: 1 },
    ]);
  });
});

describe('GET /api/stats/throughput', () => {
  it('created vs resolved (and cancelled) per Berlin day', async () => {
    const { status, body } = await stats(`throughput?${march}`);
    expect(status).toBe(200);
    const day = (date: string) => body.buckets.find((bucket: { date: string }) => bucket.date === date);
    expect(body.buckets).toHaveLength(31);
    expect(day('2026-03-02')).toEqual({ date: '2026-03-02', created: 1, resolved: 2, cancelled: 0 });
    expect(day('2026-03-03')).toEqual({ date: '2026-03-03', created: 1, resolved: 1, cancelled: 0 });
    expect(day('2026-03-06')).toEqual({ date: '2026-03-06', created: 1, resolved: 0, cancelled: 0 });
    expect(day('2026-03-09')).toEqual({ date: '2026-03-09', created: 0, resolved: 1, cancelled: 0 });
    expect(day('2026-03-11')).toEqual({ date: '2026-03-11', created: 1, resolved: 0, cancelled: 1 });
    expect(day('2026-03-31')).toEqual({ date: '2026-03-31', created: 1, resolved: 0, cancelled: 0 });
    const sum = (key: string) =>
      body.buckets.reduce((total: number, bucket: Record<string, number>) => total + bucket[key], 0);
    expect([sum('created'), sum('resolved'), sum('cancelled')]).toEqual([9, 7, 1]);
  });

  it('by month', async () => {
    const { body } = await stats('throughput?from=2026-02-01&to=2026-03-31&interval=month');
    expect(body.buckets).toEqual([
      { date: '2026-02-01', created: 4, resolved: 1, cancelled: 0 },
      { date: '2026-03-01', created: 9, resolved: 7, cancelled: 1 },
    ]);
  });
});

describe('refusals', () => {
  it.each([
    ['resolution-time?businessHours=yes', 'businessHours'],
    ['resolution-time?from=yesterday', 'from'],
    ['resolution-time?to=2026-13-01', 'to'],
    ['resolution-time?from=2026-03-01T10:00:00', 'from'],
    ['resolution-time?from=2026-04-01&to=2026-03-01', 'from'],
    ['resolution-time/by-type?businessHours=maybe', 'businessHours'],
    ['resolution-time/by-type?from=2026-04-01&to=2026-03-01', 'from'],
    ['resolution-time/by-type?type=' + 'x'.repeat(65), 'type'],
    ['outcomes?type=a&type=b', 'type'],
    ['outcomes?limit=3', 'limit'],
    ['backlog?interval=hour', 'interval'],
    ['backlog?from=2020-01-01&to=2026-01-01', 'interval'],
    ['throughput?from=2026-03-10&to=2026-03-01', 'from'],
  ])('400 for %s names %s', async (path, field) => {
    const { status, body } = await stats(path);
    expect(status).toBe(400);
    expect(body.details.map((detail: { field: string }) => detail.field)).toContain(field);
  });

  it('401 without credentials, 403 for a key without tasks:read', async () => {
    expect((await call(t.url, 'GET', '/api/stats/outcomes')).status).toBe(401);
    expect((await call(t.url, 'GET', '/api/stats/resolution-time/by-type')).status).toBe(401);
    const writer = await acme.issueApiKey(['tasks:write']);
    expect((await stats('outcomes', writer.key)).status).toBe(403);
    expect((await stats('resolution-time/by-type', writer.key)).status).toBe(403);
    expect((await stats('outcomes', acme.tokens.service)).status).toBe(200);
  });

  it('gives the per-type list to people only: it names the types of private tasks too', async () => {
    expect((await stats('resolution-time/by-type', acme.tokens.service)).status).toBe(403);
    expect((await stats('resolution-time/by-type', acme.tokens.viewer)).status).toBe(200);
  });
});
