import { EVENT_STORE, type EventStore } from '@taskinbox/event-store';
import { HealthModule } from '@taskinbox/health';
import { call, startNatsServer, startOwnRedis, startTestApp, type TestApp } from '@taskinbox/testing';
import { v7 as uuidv7 } from 'uuid';
import { startOneProcessApp } from './one-process.fixture';

jest.setTimeout(90_000);

// A stopped server must not hold an answer for long; a busy test machine still needs a moment.
const quick = { HEALTH_TIMEOUT_MS: '2000' };

/** Asks until the app is ready (connecting the first time takes a moment); the last answer. */
async function readyEventually(url: string): Promise<{ status: number; body: any }> {
  let answer = await call(url, 'GET', '/health/ready');
  for (let i = 0; i < 100 && answer.status !== 200; i++) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    answer = await call(url, 'GET', '/health/ready');
  }
  return answer;
}

/**
 * /health/ready once `failing` are the failed checks. Readers see an append only when no older
 * transaction in the cluster is still open (no gaps), so under load the lag shows a moment later.
 */
async function failingEventually(url: string, failing: string[]): Promise<{ status: number; body: any }> {
  const failed = (answer: { body: any }) =>
    Object.entries(answer.body.checks ?? {})
      .filter(([, check]) => (check as { status: string }).status === 'failed')
      .map(([name]) => name)
      .sort();
  let answer = await call(url, 'GET', '/health/ready');
  for (let i = 0; i < 100 && JSON.stringify(failed(answer)) !== JSON.stringify([...failing].sort()); i++) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    answer = await call(url, 'GET', '/health/ready');
  }
  return answer;
}

describe('health probes', () => {
  const apps: TestApp[] = [];
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });

  it('answer without credentials: live, and ready with every dependency of the one-process app once its projector and relay caught up', async () => {
    const t = await startOneProcessApp({ ...quick, HEALTH_MAX_PROJECTOR_LAG: '1', HEALTH_MAX_RELAY_LAG: '1' });
    apps.push(t);
    const org = await t.createOrganisation();
    for (let n = 0; n < 4; n++) await org.createTask('health.check');
    const live = await call(t.url, 'GET', '/health/live');
    expect(live).toMatchObject({ status: 200, body: { status: 'ok' } });

    // Ready within one event of the log; asked until both have caught up entirely.
    let ready = await readyEventually(t.url);
    for (let i = 0; i < 100 && !JSON.stringify(ready.body).match(/read-models' is 0 .*relay' is 0 /); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      ready = await call(t.url, 'GET', '/health/ready');
    }
    expect(ready.body).toMatchObject({ status: 'ok' });
    expect(ready.status).toBe(200);
    expect(Object.keys(ready.body.checks).sort()).toEqual(['nats', 'postgres', 'projectorLag', 'redis', 'relayLag']);
    for (const check of Object.values(ready.body.checks)) expect(check).toMatchObject({ status: 'ok' });
    // The real projector and relay moved their own checkpoints past every task created above.
    expect(ready.body.checks.projectorLag.detail).toBe("'read-models' is 0 events behind");
    expect(ready.body.checks.relayLag.detail).toBe("'relay' is 0 events behind");
  });

  it('is 503 naming redis once the Redis it uses stops, and ready again when it is back', async () => {
    const redis = await startOwnRedis({ label: 'health-redis' });
    try {
      const t = await startTestApp({ imports: [HealthModule.forRoot(['postgres', 'nats', 'redis'])], env: { ...quick, REDIS_URL: redis.url } });
      apps.push(t);
      expect(await readyEventually(t.url)).toMatchObject({ status: 200 });

      await redis.stop();
      const down = await call(t.url, 'GET', '/health/ready');
      expect(down.status).toBe(503);
      expect(down.body.status).toBe('unavailable');
      expect(down.body.checks.redis.status).toBe('failed');
      expect(down.body.checks.postgres.status).toBe('ok');
      expect(down.body.checks.nats.status).toBe('ok');
      // Liveness does not depend on anyone: restarting the process would not bring Redis back.
      expect((await call(t.url, 'GET', '/health/live')).status).toBe(200);

      await redis.start();
      expect((await readyEventually(t.url)).status).toBe(200);
    } finally {
      await redis.remove();
    }
  });

  it('is 503 naming nats once the NATS server it uses stops', async () => {
    const nats = await startNatsServer({ label: 'health' });
    try {
      const t = await startTestApp({
        imports: [HealthModule.forRoot(['postgres', 'nats'])],
        env: { ...quick, NATS_URL: nats.url, NATS_CREDS: nats.paths.services },
      });
      apps.push(t);
      expect(await readyEventually(t.url)).toMatchObject({ status: 200 });

      await nats.stop();
      const down = await call(t.url, 'GET', '/health/ready');
      expect(down.status).toBe(503);
      expect(down.body.checks.nats.status).toBe('failed');
      expect(down.body.checks.postgres.status).toBe('ok');
    } finally {
      await nats.remove();
    }
  });

  it('is 503 naming nats when nothing listens at NATS_URL', async () => {
    const t = await startTestApp({ imports: [HealthModule.forRoot(['nats'])], env: { ...quick, NATS_URL: 'nats://127.0.0.1:1' } });
    apps.push(t);
    const down = await call(t.url, 'GET', '/health/ready');
    expect(down.status).toBe(503);
    expect(down.body.checks.nats.status).toBe('failed');
  });

  it('is 503 naming the projector and the relay when they are further behind the event store than allowed', async () => {
    // Neither a projector nor a relay runs here, so every appended event is lag for both.
    const t = await startTestApp({
      imports: [HealthModule.forRoot(['postgres', 'projectorLag', 'relayLag'])],
      env: { ...quick, HEALTH_MAX_PROJECTOR_LAG: '3', HEALTH_MAX_RELAY_LAG: '5' },
    });
    apps.push(t);
    const store = t.app.get<EventStore>(EVENT_STORE);
    const orgId = uuidv7();
    const append = (n: number) =>
      store.appendToStream(`health-${n}`, [
        { id: uuidv7(), type: 'HealthProbeTested', data: { n }, metadata: { orgId, actor: 'service:health', correlationId: `health-${n}` } },
      ]);

    for (let n = 0; n < 3; n++) await append(n);
    expect(await readyEventually(t.url)).toMatchObject({ status: 200 });

    await append(3);
    const projectorBehind = await failingEventually(t.url, ['projectorLag']);
    expect(projectorBehind.status).toBe(503);
    expect(projectorBehind.body.checks.projectorLag.status).toBe('failed');
    expect(projectorBehind.body.checks.relayLag.status).toBe('ok');

    for (let n = 4; n < 6; n++) await append(n);
    const bothBehind = await failingEventually(t.url, ['projectorLag', 'relayLag']);
    expect(bothBehind.body.checks.relayLag.status).toBe('failed');
    expect(bothBehind.body.checks.relayLag.detail).toContain('more than 5 events behind');
  });
});
