import { jetstreamManager } from '@nats-io/jetstream';
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { ensureTaskEventsStream, natsNames, RelayModule } from '@taskinbox/messaging';
import { SloAlertTimer, SloModule } from '@taskinbox/slo';
import { call, connectTestNats, dropQueue, startTestApp, type TestApp, type TestOrganisation, testNatsPrefix } from '@taskinbox/testing';
import { WebhooksModule } from '@taskinbox/webhooks';

// Issue 14: an SLO's burn-rate alert is an event, so it reaches webhooks as task events do:
// relayed to NATS, fanned out to subscribed endpoints, POSTed with a Standard Webhooks signature.
jest.setTimeout(60_000);

const queueName = `slo-webhooks-${randomBytes(4).toString('hex')}`;
const received: { path: string; body: string; verified: boolean }[] = [];
const secrets = new Map<string, string>();
let server: Server;
let receiverUrl: string;
let t: TestApp;
let acme: TestOrganisation;

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      const path = request.url ?? '/';
      let verified = false;
      try {
        new Webhook(secrets.get(path) ?? '').verify(body, request.headers as Record<string, string>);
        verified = true;
      } catch {
        // recorded as unverified
      }
      received.push({ path, body, verified });
      response.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  // The stream exists before the webhook consumer looks for it (else it may start before the relay makes it, and hear nothing).
  const prefix = testNatsPrefix();
  const nc = await connectTestNats();
  await ensureTaskEventsStream(await jetstreamManager(nc), natsNames(prefix), { maxAgeMs: 3600_000 });
  await nc.close();
  t = await startTestApp({
    imports: [
      RelayModule.forRoot({ standbyPollMs: 100, retryMinMs: 50 }),
      WebhooksModule.forRoot({
        queueName,
        sweepIntervalMs: 300,
        resolver: async () => [{ address: '127.0.0.1', family: 4 }],
      }),
      SloModule.forRoot({ evaluateEveryMs: 0 }),
    ],
    env: { NATS_SUBJECT_PREFIX: prefix, WEBHOOK_SECRET_KEY: randomBytes(32).toString('base64'), WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' },
  });
  acme = await t.createOrganisation('acme');
});
afterAll(async () => {
  await t?.close();
  await dropQueue(queueName);
  await new Promise((resolve) => server?.close(resolve));
});

it('a burn-rate alert is POSTed, signed, to endpoints subscribed to slo.burn_rate_alerted, and not to task.* ones', async () => {
  const endpoint = async (path: string, eventTypes: string[]) => {
    const created = await call(t.url, 'POST', '/api/webhooks/endpoints', {
      token: acme.tokens.admin,
      body: { url: `${receiverUrl}${path}`, eventTypes },
    });
    expect(created.status).toBe(201);
    secrets.set(path, created.body.secret);
  };
  await endpoint('/slo', ['slo.burn_rate_alerted']);
  await endpoint('/tasks', ['task.*']);
  const slo = await call(t.url, 'POST', '/api/slos', {
    token: acme.tokens.admin,
    body: { name: 'Payouts in 1 h', taskType: 'payout', targetPercent: 99, withinBusinessHours: 1, windowDays: 30 },
  });
  expect(slo.status).toBe(201);
  // Three payouts opened 20 days ago (well over an hour of working time) completed in the last minutes: all late.
  for (const minutesAgo of [1, 2, 3]) {
    await t.pool.query(
      `INSERT INTO task_facts (task_id, org_id, task_type, created_at, resolved_at, outcome)
       VALUES ($1, $2, 'payout', now() - interval '20 days', now() - make_interval(mins => $3), 'completed')`,
      [randomUUID(), acme.id, minutesAgo],
    );
  }
  await t.app.get(SloAlertTimer).evaluateAll();

  const deadline = Date.now() + 30_000;
  while (received.filter((request) => request.path === '/slo').length < 2 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const alerts = received.filter((request) => request.path === '/slo');
  expect(alerts.map((request) => request.verified)).toEqual([true, true]);
  const bodies = alerts.map((request) => JSON.parse(request.body));
  expect(bodies.map((body) => [body.type, body.data.rule]).sort()).toEqual([
    ['slo.burn_rate_alerted', 'fast'],
    ['slo.burn_rate_alerted', 'slow'],
  ]);
  expect(bodies[0].data).toMatchObject({ sloId: slo.body.id, taskType: 'payout' });
  expect(received.filter((request) => request.path === '/tasks')).toEqual([]);
});
