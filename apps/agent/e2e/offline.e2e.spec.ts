import { call, startNatsServer, type NatsServerProcess, type TestApp, type TestOrganisation } from '@taskinbox/testing';
import {
  buildAgent,
  createJob,
  enrolmentToken,
  eventually,
  finished,
  removeAgents,
  runOf,
  runsOfJob,
  serverPath,
  startAgent,
  startDevicesApp,
  TestClock,
} from './agent.fixture';

// Devices away and back: an agent that was stopped, a server it cannot reach, a NATS restart.
jest.setTimeout(90_000);

const clock = new TestClock();
let app: TestApp;
let acme: TestOrganisation;

beforeAll(async () => {
  buildAgent();
  app = await startDevicesApp({ clock });
  acme = await app.createOrganisation('acme');
});
afterAll(async () => {
  await removeAgents();
  await app?.close();
});

const device = async (id: string) => (await call(app.url, 'GET', `/api/devices/${id}`, { token: acme.tokens.viewer })).body;

it('a device that is offline when its job is run gets the run when it returns', async () => {
  const agent = await startAgent(app, await enrolmentToken(app, acme));
  await eventually('online', () => device(agent.deviceId), (view) => view.online);
  expect(await agent.stop()).toBe(0);
  await eventually('offline', () => device(agent.deviceId), (view) => !view.online);

  const job = await createJob(app, acme, { name: 'while away', actions: [{ type: 'COMMAND', command: 'echo', arguments: ['back'] }] });
  const { body } = await call(app.url, 'POST', `/api/jobs/${job.id}/runs`, { token: acme.tokens.member, body: { deviceId: agent.deviceId } });
  const runId = body.runs[0].runId;
  await eventually('the run waiting', () => runOf(app, acme, runId), (run) => run.status === 'requested');
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(await runOf(app, acme, runId)).toMatchObject({ status: 'requested' });

  agent.start();
  const run = await eventually('the queued run to succeed', () => runOf(app, acme, runId), finished);
  expect(run).toMatchObject({ status: 'succeeded', actions: [expect.objectContaining({ output: 'back\n' })] });
  expect(await device(agent.deviceId)).toMatchObject({ online: true });
});

it('fires cached schedules while the server is unreachable and uploads the results later, once', async () => {
  clock.set('2026-06-01T12:00:00Z');
  const path = await serverPath(app.url);
  try {
    const agent = await startAgent(app, await enrolmentToken(app, acme), { server: path.url, start: false });
    const job = await createJob(app, acme, { name: 'every minute', actions: [{ type: 'COMMAND', command: 'true' }] });
    await call(app.url, 'POST', `/api/jobs/${job.id}/schedules`, {
      token: acme.tokens.admin,
      body: { cron: '* * * * *', timezone: 'UTC', deviceId: agent.deviceId },
    });
    // A fake minute per real second, from 12:00:30.
    agent.start({ TASKINBOX_AGENT_FAKE_TIME: '2026-06-01T12:00:30Z', TASKINBOX_AGENT_TIME_SPEED: '60' });
    await eventually('the schedule cached', async () => agent.lines.join('\n'), (log) => log.includes('"schedules":1'));
    path.cut();
    const cutAt = Date.now();
    // Three slots pass with the server out of reach.
    await new Promise((resolve) => setTimeout(resolve, 3500));
    const during = await runsOfJob(app, acme, job.id);
    expect(agent.lines.some((line) => line.includes('report not delivered yet'))).toBe(true);
    path.restore();
    const runs = await eventually(
      'the slots run offline, uploaded',
      () => runsOfJob(app, acme, job.id),
      (list) => list.filter((run) => run.status === 'succeeded').length >= during.length + 3,
    );
    await agent.stop();
    // Each slot once (ids are the slots'), every slot of the outage among them.
    const slots = runs.map((run) => run.scheduledFor);
    expect(new Set(slots).size).toBe(slots.length);
    const offline = runs.filter((run) => !during.some((seen: any) => seen.id === run.id));
    expect(offline.length).toBeGreaterThanOrEqual(3);
    console.log(`devices: ${offline.length} slots ran while the server was unreachable for ${Date.now() - cutAt} ms, then uploaded`);
  } finally {
    await path.close();
  }
});

describe('a NATS restart', () => {
  let nats: NatsServerProcess;
  let own: TestApp;
  let globex: TestOrganisation;

  beforeAll(async () => {
    nats = await startNatsServer({ label: 'devices-restart' });
    const env = { NATS_URL: nats.url, NATS_CREDS: nats.paths.services, NATS_ISSUER: nats.paths.issuer, DEVICES_NATS_URL: nats.url };
    // No polling to speak of: only a wake-up over NATS can bring the run quickly.
    own = await startDevicesApp({ env: { ...env, DEVICES_POLL_SECONDS: '3600' } });
    globex = await own.createOrganisation('globex');
  });
  afterAll(async () => {
    await own?.close();
    await nats?.remove();
  });

  it('leaves the agent and the server connected: a wake-up after it still arrives', async () => {
    const agent = await startAgent(own, await enrolmentToken(own, globex));
    const online = async () => (await call(own.url, 'GET', `/api/devices/${agent.deviceId}`, { token: globex.tokens.viewer })).body;
    await eventually('online', online, (view) => view.online);
    await nats.restart();
    await eventually('reconnected', async () => agent.lines.join('\n'), (log) => (log.match(/work fetched/g) ?? []).length >= 2);
    const job = await createJob(own, globex, { name: 'after restart', actions: [{ type: 'COMMAND', command: 'true' }] });
    const started = Date.now();
    const { body } = await call(own.url, 'POST', `/api/jobs/${job.id}/runs`, { token: globex.tokens.member, body: { deviceId: agent.deviceId } });
    const run = await eventually('the run after the restart', async () => {
      const { body: view } = await call(own.url, 'GET', `/api/runs/${body.runs[0].runId}`, { token: globex.tokens.viewer });
      return view;
    }, finished);
    expect(run.status).toBe('succeeded');
    expect(Date.now() - started).toBeLessThan(10_000);
    await eventually('online again', online, (view) => view.online);
  });
});
