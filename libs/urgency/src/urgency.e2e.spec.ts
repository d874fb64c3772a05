import { randomUUID } from 'node:crypto';
import { IngestModule } from '@taskinbox/ingest';
import { ProjectorModule } from '@taskinbox/projector';
import { QueryModule } from '@taskinbox/query';
import { ReadModelsModule } from '@taskinbox/read-models';
import { SloModule } from '@taskinbox/slo';
import { call, startTestApp, type TestApp, type TestOrganisation } from '@taskinbox/testing';
import { UrgencyEvaluator } from './urgency.evaluator';
import { UrgencyModule } from './urgency.module';

// Starting the app and waiting for the projector can take longer than Jest's 5 s on a loaded machine.
jest.setTimeout(60_000);

let t: TestApp;
let acme: TestOrganisation;

beforeAll(async () => {
  t = await startTestApp({
    imports: [
      ReadModelsModule,
      IngestModule,
      ProjectorModule,
      QueryModule,
      SloModule.forRoot({ evaluateEveryMs: 0 }),
      UrgencyModule.forRoot({ evaluateEveryMs: 0 }),
    ],
  });
  acme = await t.createOrganisation('acme');
});
afterAll(() => t?.close());

const rules = [
  { when: { flagged: true }, level: 'critical', reason: 'Flagged urgent' },
  { when: { payload: { path: 'customer.tier', equals: 'gold' } }, level: 'high', reason: 'Gold customer' },
  { when: { taskTypes: ['newsletter'] }, level: 'low', reason: 'Newsletters can wait' },
];

const create = async (type: string, title: string, payload: Record<string, unknown> = {}, dueAt?: string) => {
  const { status, body } = await call(t.url, 'POST', '/api/tasks', {
    token: acme.tokens.service,
    body: { type, title, payload, ...(dueAt ? { dueAt } : {}) },
  });
  expect(status).toBe(201);
  return body.id as string;
};

interface Row {
  id: string;
  title: string;
  urgency: { level: string; reason: string | null };
  atRisk: { reason: string } | null;
}

/** The inbox as a member reads it, page by page (2 a page, so the cursor carries urgency too). */
async function inbox(): Promise<Row[]> {
  const rows: Row[] = [];
  let cursor: string | null = null;
  do {
    const page: { status: number; body: { items: Row[]; nextCursor: string | null } } = await call(
      t.url,
      'GET',
      `/api/inbox/tasks?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      { token: acme.tokens.member },
    );
    expect(page.status).toBe(200);
    rows.push(...page.body.items);
    cursor = page.body.nextCursor;
  } while (cursor);
  return rows;
}

/** Polls until the inbox shows `titles` in this order (urgency follows projector batches). */
async function inboxBecomes(titles: string[]): Promise<Row[]> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const rows = await inbox();
    if (JSON.stringify(rows.map((row) => row.title)) === JSON.stringify(titles) || Date.now() > deadline) return rows;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

it('only admins set the rules, and hostile rules are refused with 400', async () => {
  expect((await call(t.url, 'PUT', '/api/urgency-rules', { token: acme.tokens.member, body: { rules } })).status).toBe(
    403,
  );
  const bad = [
    { rules: [{ when: {}, level: 'urgent', reason: 'x' }] },
    { rules: [{ when: { payload: { path: '__proto__..x', equals: 'y' } }, level: 'high', reason: 'x' }] },
    { rules: [{ when: { dueWithinHours: -1 }, level: 'high', reason: 'x' }] },
    { rules: [{ when: [], level: 'high', reason: 'x' }] },
    { rules: 'all' },
  ];
  for (const body of bad)
    expect((await call(t.url, 'PUT', '/api/urgency-rules', { token: acme.tokens.admin, body })).status).toBe(400);
  expect((await call(t.url, 'GET', '/api/urgency-rules', { token: acme.tokens.viewer })).body).toEqual({
    rules: [],
    updatedAt: null,
  });
});

it('the inbox sorts by urgency, then age, and shows each level with its reason', async () => {
  await create('newsletter', 'A newsletter');
  await create('refund', 'B plain refund');
  await create('refund', 'C gold refund', { customer: { tier: 'gold' } });
  const flagged = await create('refund', 'D refund flagged later');
  await create('refund', 'E plain refund');

  const saved = await call(t.url, 'PUT', '/api/urgency-rules', { token: acme.tokens.admin, body: { rules } });
  expect(saved.status).toBe(200);
  expect(saved.body.rules).toEqual(rules);
  // Evaluated before the answer: the rules apply to the existing tasks at once (once projected).
  await t.app.get(UrgencyEvaluator).idle();
  const rows = await inboxBecomes([
    'C gold refund',
    'B plain refund',
    'D refund flagged later',
    'E plain refund',
    'A newsletter',
  ]);
  expect(rows.map((row) => [row.title, row.urgency])).toEqual([
    ['C gold refund', { level: 'high', reason: 'Gold customer' }],
    ['B plain refund', { level: 'normal', reason: null }],
    ['D refund flagged later', { level: 'normal', reason: null }],
    ['E plain refund', { level: 'normal', reason: null }],
    ['A newsletter', { level: 'low', reason: 'Newsletters can wait' }],
  ]);

  // A change to a task is evaluated when the projector has written it: flagging D puts it first.
  expect(
    (await call(t.url, 'PATCH', `/api/tasks/${flagged}`, { token: acme.tokens.member, body: { tags: ['urgent'] } }))
      .status,
  ).toBe(200);
  const after = await inboxBecomes([
    'D refund flagged later',
    'C gold refund',
    'B plain refund',
    'E plain refund',
    'A newsletter',
  ]);
  expect(after[0]).toEqual(
    expect.objectContaining({
      title: 'D refund flagged later',
      urgency: { level: 'critical', reason: 'Flagged urgent' },
    }),
  );

  // Without rules every task is normal again and the queue is by age alone.
  expect((await call(t.url, 'DELETE', '/api/urgency-rules', { token: acme.tokens.admin })).status).toBe(204);
  const plain = await inboxBecomes([
    'A newsletter',
    'B plain refund',
    'C gold refund',
    'D refund flagged later',
    'E plain refund',
  ]);
  expect(plain.map((row) => row.urgency.level)).toEqual(['normal', 'normal', 'normal', 'normal', 'normal']);
});

it('a task whose estimate ends after its deadline is urgent; one with a far deadline is not', async () => {
  // 20 visas resolved in 2 h of working time: the estimate is at least 2 working hours from now.
  for (let index = 0; index < 20; index++)
    await t.pool.query(
      `INSERT INTO task_facts (task_id, org_id, task_type, created_at, resolved_at, outcome, resolution_seconds, business_seconds)
       VALUES ($1, $2, 'visa', now() - interval '10 days', now() - interval '9 days', 'completed', 7200, 7200)`,
      [randomUUID(), acme.id],
    );
  const soon = new Date(Date.now() + 60_000).toISOString();
  const far = new Date(Date.now() + 60 * 86_400_000).toISOString();
  await create('visa', 'F visa due in a minute', {}, soon);
  await create('visa', 'G visa due in two months', {}, far);
  await create('parcel', 'H parcel without history due in a minute', {}, soon);

  const etaRules = [{ when: { etaPastDeadline: true }, level: 'high', reason: 'Expected after the deadline' }];
  expect((await call(t.url, 'PUT', '/api/urgency-rules', { token: acme.tokens.admin, body: { rules: etaRules } })).status).toBe(200);
  await t.app.get(UrgencyEvaluator).idle();
  const rows = await inboxBecomes([
    'F visa due in a minute',
    'H parcel without history due in a minute',
    'A newsletter',
    'B plain refund',
    'C gold refund',
    'D refund flagged later',
    'E plain refund',
    'G visa due in two months',
  ]);
  const byTitle = new Map(rows.map((row) => [row.title, row.urgency]));
  expect(byTitle.get('F visa due in a minute')).toEqual({ level: 'high', reason: 'Expected after the deadline' });
  expect(byTitle.get('G visa due in two months')).toEqual({ level: 'normal', reason: null });
  // A type without history is estimated on the organisation's all-types history (the 20 visas).
  expect(byTitle.get('H parcel without history due in a minute')).toEqual({ level: 'high', reason: 'Expected after the deadline' });

  // The same estimate flags the task at risk, on its inbox row and its detail; rules or not.
  expect((await call(t.url, 'DELETE', '/api/urgency-rules', { token: acme.tokens.admin })).status).toBe(204);
  const plain = await inbox();
  const risky = plain.find((row) => row.title === 'F visa due in a minute')!;
  expect(risky.atRisk).toEqual({ reason: 'Expected after the deadline' });
  expect(plain.find((row) => row.title === 'G visa due in two months')!.atRisk).toBeNull();
  expect(plain.find((row) => row.title === 'A newsletter')!.atRisk).toBeNull();
  const detail = await call(t.url, 'GET', `/api/tasks/${risky.id}/timeline`, { token: acme.tokens.member });
  expect(detail.status).toBe(200);
  expect(detail.body.task.atRisk).toEqual({ reason: 'Expected after the deadline' });
});
