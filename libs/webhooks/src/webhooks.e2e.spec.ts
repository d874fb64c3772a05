import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { ensureTaskEventsStream, natsNames, type TaskEventEnvelope, taskEventSubject } from '@taskinbox/messaging';
import {
  call,
  connectTestNats,
  type OwnRedis,
  startOwnRedis,
  startTestApp,
  type TestApp,
  type TestOrganisation,
  testNatsPrefix,
  undocumentedIn,
} from '@taskinbox/testing';
import { WebhooksModule } from './webhooks.module';

// Real PostgreSQL, NATS, Redis and a real HTTP receiver that checks every request with the
// reference `standardwebhooks` verifier. Subject prefix (hence stream) and queue are this file's own.
jest.setTimeout(60_000);

const run = randomBytes(4).toString('hex');
const prefix = testNatsPrefix();
const names = natsNames(prefix);
const subjectPrefix = names.events;
const queueName = `webhooks-test-${run}`;

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  verifiedBy: string[];
}

const received: Received[] = [];
const secretsByPath = new Map<string, string[]>();
let respond: (path: string, count: number) => number = () => 200;
// Retry-After sent with a 429 or 503, by path; a 429 says 2 s unless set here.
const retryAfterOf = new Map<string, string>();
// Paths whose answer is written by hand instead of `respond`.
const replies = new Map<string, (response: ServerResponse) => void>();
let server: Server;
let receiverUrl: string;
let t: TestApp;
let acme: TestOrganisation;
let nc: NatsConnection;
let redis: OwnRedis;
const metricsToken = randomBytes(24).toString('base64url');
const scrape = () => fetch(`${t.url}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } });

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      const path = request.url ?? '/';
      const verifiedBy = (secretsByPath.get(path) ?? []).filter((secret) => {
        try {
          new Webhook(secret).verify(body, request.headers as Record<string, string>);
          return true;
        } catch {
          return false;
        }
      });
      received.push({ path, headers: request.headers, body, verifiedBy });
      const reply = replies.get(path);
      if (reply) return reply(response);
      response.statusCode = respond(path, received.filter((r) => r.path === path).length);
      const retryAfter = retryAfterOf.get(path) ?? (response.statusCode === 429 ? '2' : undefined);
      if (retryAfter && (response.statusCode === 429 || response.statusCode === 503)) response.setHeader('retry-after', retryAfter);
      response.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;

  // A Redis of its own: one test shuts it down, which must not reach suites running beside this one.
  redis = await startOwnRedis({ label: 'webhooks-redis' });
  nc = await connectTestNats();
  await ensureTaskEventsStream(await jetstreamManager(nc), names, { maxAgeMs: 3600_000 });
  t = await startTestApp({
    imports: [
      WebhooksModule.forRoot({
        queueName,
        retrySchedule: [200, 300, 300, 300],
        sweepIntervalMs: 300,
        maxRetryAfterMs: 1500,
        disableAfterMs: 5000,
        resolver: async (host) =>
          host === 'internal.test' ? [{ address: '10.1.2.3', family: 4 }] : [{ address: '127.0.0.1', family: 4 }],
      }),
    ],
    env: {
      NATS_SUBJECT_PREFIX: prefix,
      WEBHOOK_SECRET_KEY: randomBytes(32).toString('base64'),
      WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
      REDIS_URL: redis.url,
      METRICS_TOKEN: metricsToken,
    },
  });
  acme = await t.createOrganisation('acme');
});

afterAll(async () => {
  await t?.close();
  await nc?.close();
  await redis?.remove();
  await new Promise((resolve) => server.close(resolve));
});

const revisionOf = new Map<string, number>();
function envelopeOf(org: TestOrganisation, taskId: string, eventType: 'TaskCreated' | 'TaskCompleted' | 'TaskClaimed'): TaskEventEnvelope {
  const revision = revisionOf.get(taskId) ?? 0;
  revisionOf.set(taskId, revision + 1);
  return {
    id: randomUUID(),
    type: eventType === 'TaskCreated' ? 'task.created' : eventType === 'TaskCompleted' ? 'task.completed' : 'task.claimed',
    eventType,
    orgId: org.id,
    taskId,
    taskType: 'refund.approval',
    revision,
    position: String(Date.now()),
    occurredAt: new Date().toISOString(),
    actor: 'user:x',
    correlationId: 'c',
    data: { taskId } as unknown as TaskEventEnvelope['data'],
  };
}

async function publish(org: TestOrganisation, taskId: string, eventType: 'TaskCreated' | 'TaskCompleted' | 'TaskClaimed'): Promise<TaskEventEnvelope> {
  const envelope = envelopeOf(org, taskId, eventType);
  await jetstream(nc).publish(taskEventSubject(subjectPrefix, envelope), JSON.stringify(envelope), { msgID: envelope.id });
  return envelope;
}

async function until(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function createEndpoint(path: string, extra: Record<string, unknown> = {}): Promise<{ id: string; secret: string }> {
  const created = await call(t.url, 'POST', '/api/webhooks/endpoints', {
    token: acme.tokens.admin,
    body: { url: `${receiverUrl}${path}`, ...extra },
  });
  expect(created.status).toBe(201);
  secretsByPath.set(path, [created.body.secret]);
  return created.body;
}

const at = (path: string) => received.filter((r) => r.path === path);

async function endpointView(id: string) {
  const { status, body } = await call(t.url, 'GET', `/api/webhooks/endpoints/${id}`, { token: acme.tokens.admin });
  expect(status).toBe(200);
  return body;
}

async function noticesOf(id: string): Promise<{ kind: string; reason: string | null }[]> {
  const { status, body } = await call(t.url, 'GET', `/api/webhooks/endpoints/${id}/notices`, { token: acme.tokens.admin });
  expect(status).toBe(200);
  expect(undocumentedIn('GET', '/api/webhooks/endpoints/{id}/notices', 200, body)).toEqual([]);
  return body.map((notice: { kind: string; reason: string | null }) => ({ kind: notice.kind, reason: notice.reason }));
}

async function deliveriesOf(
  id: string,
  status?: string,
  token = acme.tokens.admin,
): Promise<{ id: string; eventId: string; status: string; attempts: number }[]> {
  const query = status ? `?status=${status}` : '';
  return (await call(t.url, 'GET', `/api/webhooks/endpoints/${id}/deliveries${query}`, { token })).body;
}

describe('webhook endpoints API', () => {
  it('shows endpoints, their URLs and their deliveries to admins only: a Slack URL is itself a secret', async () => {
    const created = await call(t.url, 'POST', '/api/webhooks/endpoints', {
      token: acme.tokens.admin,
      body: { url: `${receiverUrl}/services/T0001/B0002/slack-secret-path`, headers: { 'x-api-key': 'k3y' } },
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    const reads = ['', `/${id}`, `/${id}/deliveries`, `/${id}/notices`, `/${id}/attempts`].map((suffix) => `/api/webhooks/endpoints${suffix}`);
    for (const token of [acme.tokens.member, acme.tokens.viewer, acme.tokens.service]) {
      for (const path of reads) {
        const { status, body } = await call(t.url, 'GET', path, { token });
        expect([path, status]).toEqual([path, 403]);
        expect(JSON.stringify(body)).not.toContain('slack-secret-path');
      }
    }
    for (const path of reads) expect((await call(t.url, 'GET', path, { token: acme.tokens.admin })).status).toBe(200);
    expect((await call(t.url, 'GET', `/api/webhooks/endpoints/${id}`, { token: acme.tokens.admin })).body.url).toContain('slack-secret-path');
    await call(t.url, 'DELETE', `/api/webhooks/endpoints/${id}`, { token: acme.tokens.admin });
  });

  it('lets admins manage endpoints and shows the secret once', async () => {
    const created = await call(t.url, 'POST', '/api/webhooks/endpoints', {
      token: acme.tokens.admin,
      body: { url: `${receiverUrl}/api`, eventTypes: ['task.completed'], headers: { authorization: 'Bearer s3cret' } },
    });
    expect(created.status).toBe(201);
    expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(created.body).toMatchObject({ enabled: true, ordered: true, eventTypes: ['task.completed'], headerNames: ['authorization'] });
    const listed = await call(t.url, 'GET', '/api/webhooks/endpoints', { token: acme.tokens.admin });
    expect(listed.status).toBe(200);
    expect(JSON.stringify(listed.body)).not.toContain('whsec_');
    expect(JSON.stringify(listed.body)).not.toContain('s3cret');
    const stored = await t.pool.query('SELECT secret_encrypted, headers_encrypted FROM webhook_endpoints WHERE id = $1', [created.body.id]);
    expect(stored.rows[0].secret_encrypted).not.toContain(created.body.secret.slice(6));
    expect(stored.rows[0].headers_encrypted).not.toContain('s3cret');
    expect((await call(t.url, 'POST', '/api/webhooks/endpoints', { token: acme.tokens.member, body: { url: receiverUrl } })).status).toBe(403);
    const other = await t.createOrganisation('other');
    expect((await call(t.url, 'GET', `/api/webhooks/endpoints/${created.body.id}`, { token: other.tokens.admin })).status).toBe(404);
    // Stored responses may echo the secret headers: attempts are for admins only.
    expect((await call(t.url, 'GET', `/api/webhooks/endpoints/${created.body.id}/attempts`, { token: acme.tokens.viewer })).status).toBe(403);
    const badDeliveryId = await call(t.url, 'GET', `/api/webhooks/endpoints/${created.body.id}/attempts?deliveryId=${'-'.repeat(36)}`, {
      token: acme.tokens.admin,
    });
    expect(badDeliveryId.status).toBe(400);
    for (const headers of [{ 'bad name': 'x' }, { host: 'evil.test' }, { 'x-token': 'a\r\nInjected: 1' }, { 'x-n': 5 }]) {
      const refused = await call(t.url, 'PATCH', `/api/webhooks/endpoints/${created.body.id}`, { token: acme.tokens.admin, body: { headers } });
      expect(refused.status).toBe(400);
      expect(refused.body.details[0].field).toBe('headers');
    }
    expect((await call(t.url, 'DELETE', `/api/webhooks/endpoints/${created.body.id}`, { token: acme.tokens.admin })).status).toBe(204);
  });

  it.each([
    ['ftp://example.com/x', 'scheme'],
    ['http://10.0.0.1/x', 'private'],
    ['http://[::1]/x', 'loopback'],
    ['http://169.254.169.254/latest', 'metadata'],
    ['http://100.64.1.1/', 'cgnat'],
    ['http://[fd00:ec2::254]/', 'metadata'],
    ['http://[::ffff:127.0.0.1]/', 'ipv4-mapped'],
    ['https://internal.test/hook', 'private'],
  ])('refuses %s with 400 naming %s', async (url, reason) => {
    const refused = await call(t.url, 'POST', '/api/webhooks/endpoints', { token: acme.tokens.admin, body: { url } });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toContain(`(${reason})`);
  });
});

describe('delivery', () => {
  it('delivers on the first try, signed per Standard Webhooks, with the documented body', async () => {
    await createEndpoint('/first', { eventTypes: ['task.*'], headers: { authorization: 'Bearer tok' } });
    const taskId = randomUUID();
    const event = await publish(acme, taskId, 'TaskCreated');
    await until('the delivery', () => at('/first').length === 1);
    const [request] = at('/first');
    expect(request.verifiedBy).toHaveLength(1);
    expect(request.headers['webhook-id']).toBe(event.id);
    expect(request.headers.authorization).toBe('Bearer tok');
    expect(JSON.parse(request.body)).toEqual({
      type: 'task.created',
      timestamp: event.occurredAt,
      data: { taskId, taskType: 'refund.approval', orgId: acme.id, sequence: 0 },
    });
  });

  it('retries a 500 until 200, one webhook-id throughout, and records every attempt', async () => {
    const endpoint = await createEndpoint('/flaky');
    respond = (path, count) => (path === '/flaky' && count === 1 ? 500 : 200);
    const event = await publish(acme, randomUUID(), 'TaskCreated');
    await until('the retry', () => at('/flaky').length === 2);
    expect(at('/flaky').every((r) => r.headers['webhook-id'] === event.id && r.verifiedBy.length === 1)).toBe(true);
    const deliveries = await call(t.url, 'GET', `/api/webhooks/endpoints/${endpoint.id}/deliveries`, { token: acme.tokens.admin });
    await until('delivered', async () =>
      (await call(t.url, 'GET', `/api/webhooks/endpoints/${endpoint.id}/deliveries`, { token: acme.tokens.admin })).body[0]?.status === 'delivered',
    );
    expect(deliveries.body).toHaveLength(1);
    expect(undocumentedIn('GET', '/api/webhooks/endpoints/{id}/deliveries', 200, deliveries.body)).toEqual([]);
    const attempts = await call(t.url, 'GET', `/api/webhooks/endpoints/${endpoint.id}/attempts`, { token: acme.tokens.admin });
    expect(undocumentedIn('GET', '/api/webhooks/endpoints/{id}/attempts', 200, attempts.body)).toEqual([]);
    expect(attempts.body.map((a: any) => [a.statusCode, a.succeeded, a.errorClass])).toEqual([
      [200, true, null],
      [500, false, 'http_status'],
    ]);
    expect(attempts.body[1].responseBody).toBe('ok');
    expect(await noticesOf(endpoint.id)).toEqual([
      { kind: 'recovered', reason: null },
      { kind: 'failing', reason: null },
    ]);
    expect((await endpointView(endpoint.id)).health).toMatchObject({ state: 'healthy', reason: null });
  });

  it("keeps one task's events in order while an earlier one is retried", async () => {
    await createEndpoint('/ordered');
    respond = (path, count) => (path === '/ordered' && count <= 2 ? 503 : 200);
    const taskId = randomUUID();
    const first = await publish(acme, taskId, 'TaskCreated');
    const second = await publish(acme, taskId, 'TaskClaimed');
    const third = await publish(acme, taskId, 'TaskCompleted');
    await until('all three', () => at('/ordered').filter((r) => r.headers['webhook-id'] !== first.id).length === 2);
    expect(at('/ordered').map((r) => r.headers['webhook-id'])).toEqual([first.id, first.id, first.id, second.id, third.id]);
  });

  it('refuses at delivery time a host that now resolves to a private address', async () => {
    const endpoint = await createEndpoint('/dns');
    await t.pool.query("UPDATE webhook_endpoints SET url = 'http://internal.test/dns' WHERE id = $1", [endpoint.id]);
    await publish(acme, randomUUID(), 'TaskCreated');
    await until('the refusal', async () => {
      const attempts = await call(t.url, 'GET', `/api/webhooks/endpoints/${endpoint.id}/attempts`, { token: acme.tokens.admin });
      return attempts.body[0]?.errorClass === 'address_refused';
    });
    const deliveries = await call(t.url, 'GET', `/api/webhooks/endpoints/${endpoint.id}/deliveries`, { token: acme.tokens.admin });
    expect(deliveries.body[0].status).toBe('failed');
  });

  it('signs with both secrets for the rotation window, and with the new one only after it', async () => {
    const endpoint = await createEndpoint('/rotate');
    const rotated = await call(t.url, 'POST', `/api/webhooks/endpoints/${endpoint.id}/rotate-secret`, { token: acme.tokens.admin });
    expect(rotated.status).toBe(200);
    secretsByPath.set('/rotate', [endpoint.secret, rotated.body.secret]);
    expect(Date.parse(rotated.body.previousExpiresAt) - Date.now()).toBeGreaterThan(23.9 * 3600_000);
    await publish(acme, randomUUID(), 'TaskCreated');
    await until('the delivery', () => at('/rotate').length === 1);
    expect(at('/rotate')[0].verifiedBy).toEqual([endpoint.secret, rotated.body.secret]);

    // 24 h later: the old secret has expired.
    await t.pool.query("UPDATE webhook_endpoints SET previous_secret_expires_at = now() - interval '1 second' WHERE id = $1", [endpoint.id]);
    const [delivery] = (await call(t.url, 'GET', `/api/webhooks/endpoints/${endpoint.id}/deliveries`, { token: acme.tokens.admin })).body;
    const resent = await call(t.url, 'POST', `/api/webhooks/endpoints/${endpoint.id}/deliveries/${delivery.id}/resend`, { token: acme.tokens.admin });
    expect(resent.status).toBe(202);
    await until('the resend', () => at('/rotate').length === 2);
    expect(at('/rotate')[1].verifiedBy).toEqual([rotated.body.secret]);
    expect(at('/rotate')[1].headers['webhook-id']).toBe(at('/rotate')[0].headers['webhook-id']);
  });

  it('recovers everything since a time after the receiver was down', async () => {
    const endpoint = await createEndpoint('/down');
    respond = (path) => (path === '/down' ? 502 : 200);
    const since = new Date(Date.now() - 1000).toISOString();
    const events = [await publish(acme, randomUUID(), 'TaskCreated'), await publish(acme, randomUUID(), 'TaskCreated')];
    await until('both failed', async () => {
      const { body } = await call(t.url, 'GET', `/api/webhooks/endpoints/${endpoint.id}/deliveries?status=failed`, { token: acme.tokens.admin });
      return body.length === 2;
    });
    respond = () => 200;
    const before = await call(t.url, 'POST', `/api/webhooks/endpoints/${endpoint.id}/recover`, {
      token: acme.tokens.admin,
      body: { since, until: since },
    });
    expect(before.body).toEqual({ queued: 0 });
    const recovered = await call(t.url, 'POST', `/api/webhooks/endpoints/${endpoint.id}/recover`, { token: acme.tokens.admin, body: { since } });
    expect(recovered.body).toEqual({ queued: 2 });
    await until('both delivered', () => at('/down').filter((r) => r.verifiedBy.length === 1).length === 10);
    const delivered = at('/down').slice(-2).map((r) => r.headers['webhook-id']);
    expect(delivered.sort()).toEqual(events.map((e) => e.id).sort());
  });

  it('loses nothing when Redis loses its data (SHUTDOWN NOSAVE): the sweeper re-enqueues', async () => {
    const endpoint = await createEndpoint('/redis');
    // 429 with Retry-After: 2 parks all three as retrying, their jobs delayed in Redis.
    respond = (path) => (path === '/redis' ? 429 : 200);
    const events = await Promise.all([1, 2, 3].map(() => publish(acme, randomUUID(), 'TaskCreated')));
    await until('retrying deliveries', async () => {
      const { body } = await call(t.url, 'GET', `/api/webhooks/endpoints/${endpoint.id}/deliveries?status=retrying`, { token: acme.tokens.admin });
      return body.length === 3;
    });
    await redis.shutdownNoSave();
    await redis.start();
    expect(execFileSync('redis-cli', ['-p', String(redis.port), 'DBSIZE']).toString().trim()).toBe('0');
    respond = () => 200;
    await until('all three', () => events.every((e) => at('/redis').some((r) => r.headers['webhook-id'] === e.id && r.verifiedBy.length === 1)), 40_000);
    await until('all delivered', async () => {
      const { body } = await call(t.url, 'GET', `/api/webhooks/endpoints/${endpoint.id}/deliveries?status=delivered`, { token: acme.tokens.admin });
      return body.length === 3;
    });
  });

  it('serves Prometheus metrics to a scraper holding METRICS_TOKEN, and to no one else', async () => {
    expect((await fetch(`${t.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${t.url}/metrics`, { headers: { authorization: `Bearer ${metricsToken}x` } })).status).toBe(401);
    expect((await fetch(`${t.url}/metrics`, { headers: { authorization: `Bearer ${acme.tokens.admin}` } })).status).toBe(401);
    const response = await scrape();
    const text = await response.text();
    expect(response.status).toBe(200);
    expect(text).toContain('webhook_attempts_total');
    expect(text).toContain('webhook_event_to_delivery_seconds');
    expect(text).toContain('webhook_queue_jobs');
  });
});

describe('event consumer', () => {
  it('records a burst in batches, and a malformed event in the batch holds back none of the others', async () => {
    const endpoint = await createEndpoint('/burst');
    const malformed = { id: randomUUID(), type: 'task.created', orgId: 'not-a-uuid', taskId: 'x', revision: 0, occurredAt: new Date().toISOString() };
    const js = jetstream(nc);
    const events = await Promise.all([
      ...Array.from({ length: 20 }, () => publish(acme, randomUUID(), 'TaskCreated')),
      js.publish(`${subjectPrefix}.malformed`, JSON.stringify(malformed), { msgID: malformed.id }),
      ...Array.from({ length: 20 }, () => publish(acme, randomUUID(), 'TaskCreated')),
    ]);
    expect(events).toHaveLength(41);
    await until('all forty', async () => (await deliveriesOf(endpoint.id, 'delivered')).length === 40);
    expect(new Set(at('/burst').map((r) => r.headers['webhook-id'])).size).toBe(40);
    // The malformed one was terminated, not left to be redelivered forever.
    const jsm = await jetstreamManager(nc);
    await until('nothing pending', async () => (await jsm.consumers.info(names.stream, 'webhooks')).num_ack_pending === 0);
  });
});

describe('forged envelopes', () => {
  // Only taskinbox's services may publish events; were one of them (or a bug) to publish a body
  // that its subject does not vouch for, it must become no webhook of anyone's.
  it('become no webhook: one for another organisation than its subject, one off the schema, one not JSON', async () => {
    const globex = await t.createOrganisation('globex');
    const ours = await createEndpoint('/forged-acme');
    const created = await call(t.url, 'POST', '/api/webhooks/endpoints', {
      token: globex.tokens.admin,
      body: { url: `${receiverUrl}/forged-globex` },
    });
    expect(created.status).toBe(201);
    const theirs = created.body as { id: string };
    const js = jetstream(nc);
    const forge = (subject: string, body: string) => js.publish(subject, body, { msgID: randomUUID() });

    const forGlobex = envelopeOf(globex, randomUUID(), 'TaskCreated');
    await forge(taskEventSubject(subjectPrefix, { ...forGlobex, orgId: acme.id }), JSON.stringify(forGlobex));
    await forge(taskEventSubject(subjectPrefix, forGlobex), JSON.stringify({ ...forGlobex, type: 'task.created\ndata: {}' }));
    await forge(taskEventSubject(subjectPrefix, forGlobex), '{"id":');
    // Published after the forged ones: once these are delivered, the forged ones were consumed.
    const real = [await publish(globex, randomUUID(), 'TaskCreated'), await publish(acme, randomUUID(), 'TaskCreated')];

    await until('the real events', () => at('/forged-globex').length === 1 && at('/forged-acme').length === 1);
    expect(JSON.parse(at('/forged-globex')[0].body).data.taskId).toBe(real[0].taskId);
    expect(JSON.parse(at('/forged-acme')[0].body).data.taskId).toBe(real[1].taskId);
    expect((await deliveriesOf(theirs.id, undefined, globex.tokens.admin)).map((delivery) => delivery.eventId)).toEqual([real[0].id]);
    expect((await deliveriesOf(ours.id)).map((delivery) => delivery.eventId)).toEqual([real[1].id]);

    const metrics = await (await scrape()).text();
    for (const reason of ['subject', 'schema', 'unreadable']) {
      expect(metrics).toMatch(new RegExp(`taskinbox_task_events_dropped_total\\{consumer="webhooks",reason="${reason}"\\} [1-9]`));
    }
  });
});

describe('endpoint health and limits', () => {
  it('disables an endpoint that answers 410, notices it, and records no later event for it', async () => {
    const gone = await createEndpoint('/gone');
    const control = await createEndpoint('/gone-control');
    respond = (path) => (path === '/gone' ? 410 : 200);
    await publish(acme, randomUUID(), 'TaskCreated');
    await until('disabled', async () => (await endpointView(gone.id)).health.state === 'disabled');
    const reason = 'the endpoint answered 410 Gone';
    expect(await endpointView(gone.id)).toMatchObject({ enabled: false, disabledReason: reason, health: { state: 'disabled', reason } });
    expect(await noticesOf(gone.id)).toEqual([{ kind: 'disabled', reason }]);
    expect((await deliveriesOf(gone.id)).map((d) => [d.status, d.attempts])).toEqual([['failed', 1]]);

    const later = await publish(acme, randomUUID(), 'TaskCreated');
    await until('the control delivery', () => at('/gone-control').some((r) => r.headers['webhook-id'] === later.id));
    expect(at('/gone')).toHaveLength(1);
    expect(await deliveriesOf(gone.id)).toHaveLength(1);
    expect(await deliveriesOf(control.id)).toHaveLength(2);
  });

  it('waits as long as Retry-After says, but no longer than maxRetryAfterMs', async () => {
    const honoured = await createEndpoint('/later');
    const capped = await createEndpoint('/capped');
    retryAfterOf.set('/later', '1');
    retryAfterOf.set('/capped', '3600');
    respond = (path, count) => (path === '/later' && count === 1 ? 503 : path === '/capped' && count === 1 ? 429 : 200);
    await publish(acme, randomUUID(), 'TaskCreated');
    const gapOf = async (id: string) => {
      await until('delivered', async () => (await deliveriesOf(id, 'delivered')).length === 1);
      const { body } = await call(t.url, 'GET', `/api/webhooks/endpoints/${id}/attempts`, { token: acme.tokens.admin });
      expect(body.map((a: { statusCode: number }) => a.statusCode)).toEqual([200, id === honoured.id ? 503 : 429]);
      return Date.parse(body[0].attemptedAt) - Date.parse(body[1].attemptedAt);
    };
    // The schedule alone would wait 200 ms ± 20%.
    const honouredGap = await gapOf(honoured.id);
    expect(honouredGap).toBeGreaterThanOrEqual(950);
    expect(honouredGap).toBeLessThan(1450);
    const cappedGap = await gapOf(capped.id);
    expect(cappedGap).toBeGreaterThanOrEqual(1450);
    expect(cappedGap).toBeLessThan(3000);
  });

  it('reads at most 64 KB of a response and keeps the first 20 KB', async () => {
    const endpoint = await createEndpoint('/endless');
    // A body that never ends: only the read cap lets the attempt finish (the timeout is 15 s).
    replies.set('/endless', (response) => {
      response.statusCode = 200;
      const chunk = 'x'.repeat(16 * 1024);
      let open = true;
      response.on('close', () => (open = false));
      response.on('error', () => (open = false));
      const pump = () => {
        while (open && response.write(chunk));
      };
      response.on('drain', pump);
      pump();
    });
    await publish(acme, randomUUID(), 'TaskCreated');
    await until('delivered', async () => (await deliveriesOf(endpoint.id, 'delivered')).length === 1);
    const { body } = await call(t.url, 'GET', `/api/webhooks/endpoints/${endpoint.id}/attempts`, { token: acme.tokens.admin });
    expect(body).toHaveLength(1);
    expect(body[0]).toMatchObject({ statusCode: 200, succeeded: true, errorClass: null });
    expect(body[0].responseBody).toBe('x'.repeat(20 * 1024));
    expect(body[0].latencyMs).toBeLessThan(5000);
    replies.delete('/endless');
  });

  it('disables an endpoint failing continuously beyond the window (5 s here), and enabling it by hand makes it healthy', async () => {
    const endpoint = await createEndpoint('/quiet');
    respond = (path) => (path === '/quiet' ? 500 : 200);
    await publish(acme, randomUUID(), 'TaskCreated');
    await until('the first delivery failed', async () => (await deliveriesOf(endpoint.id, 'failed')).length === 1);
    const failing = await endpointView(endpoint.id);
    expect(failing).toMatchObject({ enabled: true, health: { state: 'failing', reason: null } });
    expect(await noticesOf(endpoint.id)).toEqual([{ kind: 'failing', reason: null }]);

    // Still failing once the window has passed: the next failed attempt disables it.
    await new Promise((resolve) => setTimeout(resolve, Date.parse(failing.health.since) + 5000 - Date.now()));
    await publish(acme, randomUUID(), 'TaskCreated');
    await until('disabled', async () => (await endpointView(endpoint.id)).health.state === 'disabled');
    const [disabled] = await noticesOf(endpoint.id);
    expect(disabled.kind).toBe('disabled');
    expect(disabled.reason).toBe(`failing continuously since ${failing.health.since}`);
    expect((await noticesOf(endpoint.id)).map((n) => n.kind)).toEqual(['disabled', 'failing']);
    expect(await (await scrape()).text()).toMatch(/webhook_endpoint_notices_total\{kind="disabled"\} [1-9]/);

    const enabled = await call(t.url, 'PATCH', `/api/webhooks/endpoints/${endpoint.id}`, { token: acme.tokens.admin, body: { enabled: true } });
    expect(enabled.body).toMatchObject({ enabled: true, disabledReason: null, health: { state: 'healthy', reason: null } });
    expect(Date.parse(enabled.body.health.since)).toBeGreaterThan(Date.parse(failing.health.since));
  });
});
