import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { call, type TestApp, type TestOrganisation } from '@taskinbox/testing';
import { projected, startOneProcessApp } from './one-process.fixture';

// Issue 12: custom actions of a task type, run against a local receiver that checks every call
// with the reference `standardwebhooks` verifier (WEBHOOK_ALLOWED_HOSTS lets the SSRF guard
// reach 127.0.0.1). The outcome is recorded once, on the timeline and as a public event.
jest.setTimeout(60_000);

interface Received {
  path: string;
  method: string;
  headers: IncomingHttpHeaders;
  body: string;
  verified: boolean;
}

const received: Received[] = [];
let secret = '';
let server: Server;
let receiver: string;
let t: TestApp;
let acme: TestOrganisation;
let taskId: string;

const api = (method: string, path: string, token: string, body?: unknown) => call(t.url, method, path, { token, body });
const eventsOf = async (id: string) =>
  (await t.pool.query<{ type: string; data: Record<string, unknown> }>('SELECT event_type AS type, data FROM es_events WHERE stream_id = $1 ORDER BY stream_revision', [`task-${id}`])).rows;

async function eventually<T>(read: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 300; i++) {
    const value = await read();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('timed out');
}

const outcomeOf = (id: string, actionId: string) =>
  eventually(async () =>
    (await eventsOf(id)).find((event) => ['TaskActionSucceeded', 'TaskActionFailed'].includes(event.type) && event.data.actionId === actionId),
  );

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      let verified = false;
      try {
        new Webhook(secret).verify(body, request.headers as Record<string, string>);
        verified = true;
      } catch {
        verified = false;
      }
      received.push({ path: request.url ?? '/', method: request.method ?? '', headers: request.headers, body, verified });
      if (request.url === '/fail') {
        response.statusCode = 500;
        response.end('x'.repeat(5000));
        return;
      }
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ refundId: 'r-1' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  t = await startOneProcessApp({ WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' }, { runActions: true });
  acme = await t.createOrganisation('acme');
  const type = await api('POST', '/api/task-types', acme.tokens.admin, {
    key: 'refund.request',
    name: 'Refund request',
    schema: { type: 'object', required: ['orderId'], properties: { orderId: { type: 'string' }, amount: { type: 'number' } } },
    actions: [
      {
        key: 'refund',
        label: 'Refund the order',
        roles: ['admin', 'member'],
        confirm: 'Refund this order now?',
        argsSchema: {
          type: 'object',
          required: ['orderId', 'amount'],
          properties: { orderId: { type: 'string' }, amount: { type: 'number', minimum: 0, maximum: 1000 } },
          additionalProperties: false,
        },
        argsFrom: { orderId: '/payload/orderId' },
        target: { method: 'POST', url: `${receiver}/refunds`, headers: { 'x-shop': 'acme', 'webhook-id': 'forged' } },
        timeoutMs: 2000,
        retries: 0,
        postBack: true,
      },
      { key: 'notify', label: 'Notify the shop', roles: ['admin'], target: { method: 'POST', url: `${receiver}/fail` }, timeoutMs: 2000, retries: 2 },
    ],
  });
  expect(type.status).toBe(201);
  const created = await api('POST', '/api/tasks', acme.tokens.service, { type: 'refund.request', title: 'Refund o-7', payload: { orderId: 'o-7', amount: 12 } });
  expect(created.status).toBe(201);
  taskId = created.body.id;
  const shown = await api('GET', '/api/settings/action-secret', acme.tokens.admin);
  expect(shown.status).toBe(200);
  secret = shown.body.secret;
  expect(secret).toMatch(/^whsec_/);
});

afterAll(async () => {
  await t?.close();
  server?.close();
});

describe('a custom action', () => {
  it('calls the target signed per Standard Webhooks, records success once, and posts the response back', async () => {
    const ran = await api('POST', `/api/tasks/${taskId}/actions/refund`, acme.tokens.member, { args: { amount: 12, orderId: 'o-other' } });
    expect(ran.status).toBe(202);
    const requested = (await eventsOf(taskId)).find((event) => event.type === 'TaskActionRequested')!;
    // The task's own order id wins over the one given.
    expect(requested.data).toMatchObject({ key: 'refund', label: 'Refund the order', args: { orderId: 'o-7', amount: 12 }, typeVersion: 1 });
    const actionId = String(requested.data.actionId);

    const outcome = await outcomeOf(taskId, actionId);
    expect(outcome).toMatchObject({ type: 'TaskActionSucceeded', data: { statusCode: 200, response: '{"refundId":"r-1"}', attempts: 1 } });
    const calls = received.filter((request) => request.path === '/refunds');
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ method: 'POST', verified: true, headers: { 'webhook-id': actionId, 'x-shop': 'acme' } });
    expect(JSON.parse(calls[0].body)).toMatchObject({ type: 'task.action', data: { taskId, actionId, key: 'refund', args: { orderId: 'o-7', amount: 12 } } });
    const events = await eventsOf(taskId);
    expect(events.filter((event) => event.type === 'TaskActionSucceeded')).toHaveLength(1);
    expect(events.find((event) => event.type === 'TaskInfoPosted')?.data).toMatchObject({ info: { refundId: 'r-1' } });

    await projected(t);
    const timeline = await api('GET', `/api/tasks/${taskId}/timeline`, acme.tokens.viewer);
    const lines = timeline.body.timeline.map((entry: { summary: string }) => entry.summary);
    expect(lines).toEqual(expect.arrayContaining(['Action requested: Refund the order', 'Action refund succeeded (HTTP 200)']));
  });

  it('records failure once, after its retries, with the status and a capped excerpt', async () => {
    const ran = await api('POST', `/api/tasks/${taskId}/actions/notify`, acme.tokens.admin, {});
    expect(ran.status).toBe(202);
    const requested = (await eventsOf(taskId)).filter((event) => event.type === 'TaskActionRequested').find((event) => event.data.key === 'notify')!;
    const actionId = String(requested.data.actionId);
    const outcome = await outcomeOf(taskId, actionId);
    expect(outcome).toMatchObject({ type: 'TaskActionFailed', data: { statusCode: 500, error: 'http_status', attempts: 3 } });
    expect(String(outcome.data.response)).toHaveLength(2048);
    const calls = received.filter((request) => request.path === '/fail');
    expect(calls).toHaveLength(3);
    expect(calls.every((request) => request.verified && request.headers['webhook-id'] === actionId)).toBe(true);
    // A late duplicate report cannot add a second outcome: nothing more arrives.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await eventsOf(taskId)).filter((event) => event.type === 'TaskActionFailed')).toHaveLength(1);
  });

  it('refuses arguments its argsSchema refuses with a 400 naming the JSON path, and appends nothing', async () => {
    const before = (await eventsOf(taskId)).length;
    const tooMuch = await api('POST', `/api/tasks/${taskId}/actions/refund`, acme.tokens.admin, { args: { amount: 5000 } });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.details).toEqual([{ field: 'args.amount', in: 'body', problems: ['must be <= 1000'] }]);
    const extra = await api('POST', `/api/tasks/${taskId}/actions/refund`, acme.tokens.admin, { args: { amount: 1, note: 'x' } });
    expect(extra.status).toBe(400);
    expect(extra.body.message).toMatch(/args\.note/);
    expect((await eventsOf(taskId)).length).toBe(before);
  });

  it("is refused to roles the action does not name, to services, and for keys the type lacks", async () => {
    const before = (await eventsOf(taskId)).length;
    expect((await api('POST', `/api/tasks/${taskId}/actions/notify`, acme.tokens.member, {})).status).toBe(403);
    expect((await api('POST', `/api/tasks/${taskId}/actions/refund`, acme.tokens.viewer, { args: { amount: 1 } })).status).toBe(403);
    expect((await api('POST', `/api/tasks/${taskId}/actions/refund`, acme.tokens.service, { args: { amount: 1 } })).status).toBe(403);
    expect((await api('POST', `/api/tasks/${taskId}/actions/nothing`, acme.tokens.admin, {})).status).toBe(404);
    const other = await t.createOrganisation('globex');
    expect((await api('POST', `/api/tasks/${taskId}/actions/refund`, other.tokens.admin, { args: { amount: 1 } })).status).toBe(404);
    expect((await eventsOf(taskId)).length).toBe(before);
  });

  it('can be subscribed to by webhooks under its public names', async () => {
    const endpoint = await api('POST', '/api/webhooks/endpoints', acme.tokens.admin, {
      url: 'https://hooks.example.com/actions',
      eventTypes: ['task.action_requested', 'task.action_succeeded', 'task.action_failed'],
    });
    expect(endpoint.status).toBe(201);
  });
});
