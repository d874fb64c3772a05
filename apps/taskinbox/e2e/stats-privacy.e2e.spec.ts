import { call, type TestApp, type TestOrganisation } from '@taskinbox/testing';
import { projected, startOneProcessApp } from './one-process.fixture';

// Issue 9, case 5: a service key with tasks:read read, through /api/stats/outcomes?type=…, the
// resolution of another service's private task. Statistics services read leave private tasks
// out (README, Security); people count them.
let t: TestApp;
let org: TestOrganisation;
let otherService: string;
const type = 'payout.review';

beforeAll(async () => {
  t = await startOneProcessApp();
  org = await t.createOrganisation('privacy');
  otherService = (await org.issueApiKey(['tasks:read'])).key;
});
afterAll(() => t?.close());

const api = (method: string, path: string, token: string, body?: unknown) => call(t.url, method, path, { token, body });

async function resolvedTask(resolution: string, details: Record<string, unknown>): Promise<string> {
  const created = await api('POST', '/api/tasks', org.tokens.service, { type, title: `Payout ${resolution}`, ...details });
  expect(created.status).toBe(201);
  expect((await api('POST', `/api/inbox/tasks/${created.body.id}/claim`, org.tokens.member)).status).toBe(200);
  expect((await api('PUT', `/api/inbox/tasks/${created.body.id}`, org.tokens.member, { status: 'completed', resolution })).status).toBe(200);
  return created.body.id;
}

async function outcomesSeenBy(token: string, total: number): Promise<{ resolution: string; count: number }[]> {
  const { status, body } = await api('GET', `/api/stats/outcomes?type=${type}`, token);
  expect(status).toBe(200);
  expect(body.total).toBe(total);
  return body.outcomes;
}

/** Every statistic in the served OpenAPI document, so that routes added later are covered too. */
async function statsPaths(): Promise<string[]> {
  const { body } = await call(t.url, 'GET', '/api/docs/openapi.json');
  return Object.entries(body.paths as Record<string, { get?: { parameters?: { name: string }[] } }>)
    .filter(([path, operations]) => path.startsWith('/api/stats') && operations.get)
    .map(([path, operations]) => (operations.get!.parameters ?? []).some((p) => p.name === 'type') ? `${path}?type=${type}` : path);
}

it("no statistic tells a service about a private task's resolution, not even the service that sent it", async () => {
  await resolvedTask('approved', {});
  await resolvedTask('fraud-confirmed', { private: true });
  await projected(t);
  // People count every task of the organisation.
  expect((await outcomesSeenBy(org.tokens.viewer, 2)).map((o) => o.resolution).sort()).toEqual(['approved', 'fraud-confirmed']);

  const paths = await statsPaths();
  expect(paths.length).toBeGreaterThanOrEqual(5);
  for (const token of [otherService, org.tokens.service]) {
    expect(await outcomesSeenBy(token, 1)).toEqual([expect.objectContaining({ resolution: 'approved', count: 1 })]);
    for (const path of paths) {
      const { status, body } = await api('GET', path, token);
      expect([path, status === 200 || status === 403]).toEqual([path, true]);
      expect([path, JSON.stringify(body)]).toEqual([path, expect.not.stringContaining('fraud-confirmed')]);
    }
    const time = await api('GET', `/api/stats/resolution-time?type=${type}`, token);
    expect(time.body.count).toBe(1);
    const throughput = await api('GET', `/api/stats/throughput?type=${type}`, token);
    const sum = (key: 'created' | 'resolved') => throughput.body.buckets.reduce((n: number, b: Record<string, number>) => n + b[key], 0);
    expect([sum('created'), sum('resolved')]).toEqual([1, 1]);
  }
});

it('a task made private later leaves the statistics services read', async () => {
  const created = await api('POST', '/api/tasks', org.tokens.service, { type, title: 'Payout to review' });
  await projected(t);
  expect(await createdSeenBy(otherService)).toBe(2);
  expect((await api('PATCH', `/api/tasks/${created.body.id}`, org.tokens.member, { private: true })).status).toBe(200);
  await projected(t);
  expect(await createdSeenBy(otherService)).toBe(1);
  expect(await createdSeenBy(org.tokens.member)).toBe(3);
});

async function createdSeenBy(token: string): Promise<number> {
  const { body } = await api('GET', `/api/stats/throughput?type=${type}`, token);
  return body.buckets.reduce((n: number, bucket: { created: number }) => n + bucket.created, 0);
}
