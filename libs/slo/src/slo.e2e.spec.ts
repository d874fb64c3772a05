import { randomUUID } from 'node:crypto';
import { parse } from 'yaml';
import { call, startTestApp, type TestApp, type TestOrganisation } from '@taskinbox/testing';
import { SloAlertTimer } from './alerts/slo-alert.timer';
import { SloModule } from './slo.module';

// Starting the app and waiting for the projector can take longer than Jest's 5 s on a loaded machine.
jest.setTimeout(60_000);

// Wednesday 4 March 2026, noon UTC; the organisations keep the default calendar (Mon-Fri 09-17 UTC).
const now = new Date('2026-03-04T12:00:00Z');

let t: TestApp;
let acme: TestOrganisation;
let globex: TestOrganisation;

beforeAll(async () => {
  t = await startTestApp({ imports: [SloModule.forRoot({ evaluateEveryMs: 0, clock: () => now })] });
  [acme, globex] = await Promise.all([t.createOrganisation('acme'), t.createOrganisation('globex')]);
});
afterAll(() => t?.close());

/** A task's facts and status changes, as the projector leaves them (read models are this lib's input). */
async function seed(
  org: TestOrganisation,
  type: string,
  createdAt: string,
  end?: { resolvedAt: string; outcome?: string },
  waiting: [string, string?][] = [],
) {
  const id = randomUUID();
  await t.pool.query(
    `INSERT INTO task_facts (task_id, org_id, task_type, created_at, resolved_at, outcome) VALUES ($1, $2, $3, $4, $5, $6)`,
    [id, org.id, type, createdAt, end?.resolvedAt ?? null, end ? (end.outcome ?? 'completed') : null],
  );
  const changes: [string, string, Record<string, string>][] = waiting.flatMap(([from, until]) => [
    ['TaskStatusChanged', from, { from: 'processing', to: 'waiting' }],
    ...(until
      ? [
          ['TaskStatusChanged', until, { from: 'waiting', to: 'processing' }] as [
            string,
            string,
            Record<string, string>,
          ],
        ]
      : []),
  ]);
  if (end) changes.push([end.outcome === 'cancelled' ? 'TaskCancelled' : 'TaskCompleted', end.resolvedAt, {}]);
  for (const [index, [type, at, details]] of changes.entries()) {
    await t.pool.query(
      `INSERT INTO task_timeline (task_id, revision, org_id, event_id, event_type, actor, occurred_at, summary, details)
       VALUES ($1, $2, $3, $4, $5, '{}', $6, '', $7)`,
      [id, index + 1, org.id, randomUUID(), type, at, details],
    );
  }
}

const createSlo = async (org: TestOrganisation, body: Record<string, unknown>) => {
  const { status, body: created } = await call(t.url, 'POST', '/api/slos', { token: org.tokens.admin, body });
  expect(status).toBe(201);
  return created as { id: string };
};

it('is registered by admins, stored in OpenSLO form and exported as YAML', async () => {
  const body = {
    name: 'Refunds by lunch',
    taskType: 'refund',
    targetPercent: 95,
    withinBusinessHours: 4,
    windowDays: 30,
  };
  expect((await call(t.url, 'POST', '/api/slos', { token: acme.tokens.member, body })).status).toBe(403);
  const slo = await createSlo(acme, body);
  const read = await call(t.url, 'GET', `/api/slos/${slo.id}`, { token: acme.tokens.viewer });
  expect(read.body).toMatchObject({
    ...body,
    openslo: { apiVersion: 'openslo/v1', kind: 'SLO', spec: { objectives: [{ target: 0.95 }] } },
  });
  const yaml = await call(t.url, 'GET', `/api/slos/${slo.id}/openslo.yaml`, { token: acme.tokens.viewer });
  expect(yaml.headers.get('content-type')).toMatch(/^application\/yaml/);
  expect(parse(yaml.body as string)).toEqual(read.body.openslo);
  const replaced = await call(t.url, 'PUT', `/api/slos/${slo.id}`, {
    token: acme.tokens.admin,
    body: { ...body, targetPercent: 99.9 },
  });
  expect(replaced.body).toMatchObject({ targetPercent: 99.9, openslo: { spec: { objectives: [{ target: 0.999 }] } } });
  expect((await call(t.url, 'GET', `/api/slos/${slo.id}`, { token: globex.tokens.admin })).status).toBe(404);
  expect(
    (await call(t.url, 'POST', '/api/slos', { token: acme.tokens.admin, body: { ...body, targetPercent: 100 } }))
      .status,
  ).toBe(400);
  expect((await call(t.url, 'DELETE', `/api/slos/${slo.id}`, { token: acme.tokens.admin })).status).toBe(204);
  expect((await call(t.url, 'GET', `/api/slos/${slo.id}`, { token: acme.tokens.admin })).status).toBe(404);
});

it('computes attainment and error budget in business hours, without the time spent waiting', async () => {
  const slo = await createSlo(acme, {
    name: 'Returns in 2 h',
    taskType: 'return',
    targetPercent: 75,
    withinBusinessHours: 2,
    windowDays: 7,
  });
  await seed(acme, 'return', '2026-03-02T09:00:00Z', { resolvedAt: '2026-03-02T10:00:00Z' }); // 1 bh: good
  await seed(acme, 'return', '2026-03-02T16:00:00Z', { resolvedAt: '2026-03-03T10:00:00Z' }); // Mon 16-17 + Tue 9-10 = 2 bh: good
  await seed(acme, 'return', '2026-03-03T09:00:00Z', { resolvedAt: '2026-03-03T13:00:00Z' }, [
    ['2026-03-03T10:00:00Z', '2026-03-03T12:00:00Z'],
  ]); // 4 - 2 waiting = 2 bh: good
  await seed(acme, 'return', '2026-03-03T13:00:00Z', { resolvedAt: '2026-03-03T17:00:00Z' }); // 4 bh: bad
  await seed(acme, 'return', '2026-03-04T09:00:00Z'); // open, 3 bh at noon: bad already
  await seed(acme, 'return', '2026-03-04T11:00:00Z'); // open, 1 bh: not counted yet
  await seed(acme, 'return', '2026-03-04T07:00:00Z', undefined, [['2026-03-04T08:00:00Z']]); // open, waiting since before opening: 0 bh
  await seed(acme, 'return', '2026-03-02T09:00:00Z', { resolvedAt: '2026-03-03T17:00:00Z', outcome: 'cancelled' }); // cancelled: not counted
  await seed(acme, 'other', '2026-03-02T09:00:00Z', { resolvedAt: '2026-03-03T17:00:00Z' }); // another type
  await seed(acme, 'return', '2026-02-20T09:00:00Z', { resolvedAt: '2026-02-24T17:00:00Z' }); // before the 7-day window
  await seed(globex, 'return', '2026-03-02T09:00:00Z', { resolvedAt: '2026-03-03T17:00:00Z' }); // another organisation

  const { status, body } = await call(t.url, 'GET', `/api/slos/${slo.id}/status`, { token: acme.tokens.member });
  expect(status).toBe(200);
  // 5 counted, 3 good: 60%. Allowed bad: 25% of 5 = 1.25; 2 bad spend 160%: remaining 1 - 2 / 1.25 = -0.6.
  expect(body).toMatchObject({
    sloId: slo.id,
    targetPercent: 75,
    total: 5,
    good: 3,
    bad: 2,
    windowStart: '2026-02-25T12:00:00.000Z',
    windowEnd: now.toISOString(),
  });
  expect(body.attainment).toBeCloseTo(0.6, 10);
  expect(body.errorBudget.allowedBad).toBeCloseTo(1.25, 10);
  expect(body.errorBudget.remaining).toBeCloseTo(-0.6, 10);

  const stats = await call(t.url, 'GET', '/api/stats/slos', { token: acme.tokens.viewer });
  expect(stats.body).toContainEqual(expect.objectContaining({ sloId: slo.id, total: 5, good: 3 }));
  expect((await call(t.url, 'GET', '/api/stats/slos', { token: globex.tokens.viewer })).body).toEqual([]);
});

it('raises a burn-rate alert as an event on the SLO stream once, while the rule keeps firing', async () => {
  const slo = await createSlo(acme, {
    name: 'Payouts in 1 h',
    taskType: 'payout',
    targetPercent: 99,
    withinBusinessHours: 1,
    windowDays: 30,
  });
  // Three payouts of ~3 business hours completed in the last 5 minutes: 100% bad, burn rate 1 / 0.01 = 100 on every window.
  for (const resolvedAt of ['2026-03-04T11:56:00Z', '2026-03-04T11:57:00Z', '2026-03-04T11:58:00Z']) {
    await seed(acme, 'payout', '2026-03-04T09:00:00Z', { resolvedAt });
  }
  const status = (await call(t.url, 'GET', `/api/slos/${slo.id}/status`, { token: acme.tokens.member })).body;
  expect(status.burnRates).toEqual([
    {
      rule: 'fast',
      threshold: 14.4,
      long: expect.closeTo(100, 6),
      short: expect.closeTo(100, 6),
      events: 3,
      firing: true,
    },
    {
      rule: 'slow',
      threshold: 6,
      long: expect.closeTo(100, 6),
      short: expect.closeTo(100, 6),
      events: 3,
      firing: true,
    },
  ]);

  const timer = t.app.get(SloAlertTimer);
  await timer.evaluateAll();
  await timer.evaluateAll();
  const { rows } = await t.pool.query<{
    event_type: string;
    data: Record<string, unknown>;
    metadata: Record<string, unknown>;
  }>(`SELECT event_type, data, metadata FROM es_events WHERE stream_id = $1 ORDER BY stream_revision`, [
    `slo-${slo.id}`,
  ]);
  expect(rows.map((row) => [row.event_type, row.data.rule])).toEqual([
    ['SloBurnRateAlerted', 'fast'],
    ['SloBurnRateAlerted', 'slow'],
  ]);
  expect(rows[0].data).toMatchObject({
    sloId: slo.id,
    taskType: 'payout',
    threshold: 14.4,
    alertedAt: now.toISOString(),
  });
  expect(rows[0].metadata).toMatchObject({ orgId: acme.id });
});
