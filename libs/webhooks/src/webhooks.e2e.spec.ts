import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { execSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { Redis } from 'ioredis';
import { Webhook } from 'standardwebhooks';
import { ensureTaskEventsStream, type TaskEventEnvelope, taskEventSubject } from '@taskinbox/messaging';
import { call, startTestApp, type TestApp, type TestOrganisation } from '@taskinbox/testing';
import { WebhooksModule } from './webhooks.module';

// Real PostgreSQL, NATS, Redis and a real HTTP receiver that checks every request with the
// reference `standardwebhooks` verifier. Stream, consumer and queue are this run's own.
jest.setTimeout(60_000);

const run = randomBytes(4).toString('hex');
const streamName = `TEST_WEBHOOKS_${run}`;
const subjectPrefix = `test.${run}.events`;
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
let server: Server;
let receiverUrl: string;
let t: TestApp;
let acme: TestOrganisation;
let nc: NatsConnection;

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
      response.statusCode = respond(path, received.filter((r) => r.path === path).length);
      if (response.statusCode === 429) response.setHeader('retry-after', '2');
      response.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;

  nc = await connect({ servers: 'nats://127.0.0.1:4222' });
  await ensureTaskEventsStream(await jetstreamManager(nc), { name: streamName, subjectPrefix, maxAgeMs: 3600_000 });
  t = await startTestApp({
    imports: [
      WebhooksModule.forRoot({
        streamName,
        subjectPrefix,
        consumerName: `webhooks_${run}`,
        queueName,
        retrySchedule: [200, 300, 300, 300],
        sweepIntervalMs: 300,
        resolver: async (host) =>
          host === 'internal.test' ? [{ address: '10.1.2.3', family: 4 }] : [{ address: '127.0.0.1', family: 4 }],
      }),
    ],
    env: {
      WEBHOOK_SECRET_KEY: randomBytes(32).toString('base64'),
      WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
      REDIS_URL: 'redis://127.0.0.1:6379',
    },
  });
  acme = await t.createOrganisation('acme');
});

afterAll(async () => {
  await t?.close();
  const jsm = await jetstreamManager(nc);
  await jsm.streams.delete(streamName).catch(() => undefined);
  await nc.close();
  const redis = new Redis('redis://127.0.0.1:6379');
  const keys = await redis.keys(`bull:${queueName}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
  await new Promise((resolve) => server.close(resolve));
});

const revisionOf = new Map<string, number>();
async function publish(org: TestOrganisation, taskId: string, eventType: 'TaskCreated' | 'TaskCompleted' | 'TaskClaimed'): Promise<TaskEventEnvelope> {
  const revision = revisionOf.get(taskId) ?? 0;
  revisionOf.set(taskId, revision + 1);
  const envelope: TaskEventEnvelope = {
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

describe('webhook endpoints API', () => {
  it('lets admins manage endpoints, shows the secret once, and everyone read', async () => {
    const created = await call(t.url, 'POST', '/api/webhooks/endpoints', {
      token: acme.tokens.admin,
      body: { url: `${receiverUrl}/api`, eventTypes: ['task.completed'], headers: { authorization: 'Bearer s3cret' } },
    });
    expect(created.status).toBe(201);
    expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(created.body).toMatchObject({ enabled: true, ordered: true, eventTypes: ['task.completed'], headerNames: ['authorization'] });
    const listed = await call(t.url, 'GET', '/api/webhooks/endpoints', { token: acme.tokens.viewer });
    expect(listed.status).toBe(200);
    expect(JSON.stringify(listed.body)).not.toContain('whsec_');
    expect(JSON.stringify(listed.body)).not.toContain('s3cret');
    const stored = await t.pool.query('SELECT secret_encrypted, headers_encrypted FROM webhook_endpoints WHERE id = $1', [created.body.id]);
    expect(stored.rows[0].secret_encrypted).not.toContain(created.body.secret.slice(6));
    expect(stored.rows[0].headers_encrypted).not.toContain('s3cret');
    expect((await call(t.url, 'POST', '/api/webhooks/endpoints', { token: acme.tokens.member, body: { url: receiverUrl } })).status).toBe(403);
    const other = await t.createOrganisation('other');
    expect((await call(t.url, 'GET', `/api/webhooks/endpoints/${created.body.id}`, { token: other.tokens.admin })).status).toBe(404);
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
    const deliveries = await call(t.url, 'GET', `/api/webhooks/endpoints/${endpoint.id}/deliveries`, { token: acme.tokens.viewer });
    await until('delivered', async () =>
      (await call(t.url, 'GET', `/api/webhooks/endpoints/${endpoint.id}/deliveries`, { token: acme.tokens.viewer })).body[0]?.status === 'delivered',
    );
    expect(deliveries.body).toHaveLength(1);
    const attempts = await call(t.url, 'GET', `/api/webhooks/endpoints/${endpoint.id}/attempts`, { token: acme.tokens.viewer });
    expect(attempts.body.map((a: any) => [a.statusCode, a.succeeded, a.errorClass])).toEqual([
      [200, true, null],
      [500, false, 'http_status'],
    ]);
    expect(attempts.body[1].responseBody).toBe('ok');
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
      const attempts = await call(t.url, 'GET', `/api/webhooks/endpoints/${endpoint.id}/attempts`, { token: acme.tokens.viewer });
      return attempts.body[0]?.errorClass === 'address_refused';
    });
    const deliveries = await call(t.url, 'GET', `/api/webhooks/endpoints/${endpoint.id}/deliveries`, { token: acme.tokens.viewer });
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
    const [delivery] = (await call(t.url, 'GET', `/api/webhooks/endpoints/${endpoint.id}/deliveries`, { token: acme.tokens.viewer })).body;
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
      const { body } = await call(t.url, 'GET', `/api/webhooks/endpoints/${endpoint.id}/deliveries?status=failed`, { token: acme.tokens.viewer });
      return body.length === 2;
    });
    respond = () => 200;
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
      const { body } = await call(t.url, 'GET', `/api/webhooks/endpoints/${endpoint.id}/deliveries?status=retrying`, { token: acme.tokens.viewer });
      return body.length === 3;
    });
    try {
      execSync('redis-cli -h 127.0.0.1 -p 6379 SHUTDOWN NOSAVE', { stdio: 'ignore' });
    } catch {
      // the connection drops as Redis exits
    }
    execSync(
      'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log',
    );
    await until('Redis', () => {
      try {
        return execSync('redis-cli -h 127.0.0.1 -p 6379 PING').toString().trim() === 'PONG';
      } catch {
        return false;
      }
    });
    expect(execSync('redis-cli -h 127.0.0.1 -p 6379 DBSIZE').toString().trim()).toBe('0');
    respond = () => 200;
    await until('all three', () => events.every((e) => at('/redis').some((r) => r.headers['webhook-id'] === e.id && r.verifiedBy.length === 1)), 40_000);
    await until('all delivered', async () => {
      const { body } = await call(t.url, 'GET', `/api/webhooks/endpoints/${endpoint.id}/deliveries?status=delivered`, { token: acme.tokens.viewer });
      return body.length === 3;
    });
  });

  it('serves Prometheus metrics', async () => {
    const response = await fetch(`${t.url}/metrics`);
    const text = await response.text();
    expect(response.status).toBe(200);
    expect(text).toContain('webhook_attempts_total');
    expect(text).toContain('webhook_event_to_delivery_seconds');
    expect(text).toContain('webhook_queue_jobs');
  });
});
