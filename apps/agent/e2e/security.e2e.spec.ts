import { connect, jwtAuthenticator, type NatsConnection } from '@nats-io/transport-node';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { call, natsRefusal, testNats, type TestApp, type TestOrganisation } from '@taskinbox/testing';
import { AgentClient } from '@taskinbox/device-protocol';
import {
  buildAgent,
  createJob,
  enrolmentToken,
  eventually,
  removeAgents,
  type RunningAgent,
  runOf,
  startAgent,
  startDevicesApp,
} from './agent.fixture';

// What a device may do on NATS and what unenrolling takes away, with real agents. The test acts
// as a compromised agent: it holds the device's own nkey (read from the agent's state) and tries
// to reach beyond it.
jest.setTimeout(120_000);

let app: TestApp;
let acme: TestOrganisation;
let alpha: RunningAgent;
let beta: RunningAgent;
const open: NatsConnection[] = [];

beforeAll(async () => {
  buildAgent();
  app = await startDevicesApp();
  acme = await app.createOrganisation('acme');
  [alpha, beta] = await Promise.all([startAgent(app, await enrolmentToken(app, acme)), startAgent(app, await enrolmentToken(app, acme))]);
});
afterAll(async () => {
  for (const nc of open) await nc.close().catch(() => undefined);
  await removeAgents();
  await app?.close();
});

const device = async (id: string) => (await call(app.url, 'GET', `/api/devices/${id}`, { token: acme.tokens.viewer })).body;

/** The device's own key and a session of its own, as the agent holds them. */
async function stolen(agent: RunningAgent) {
  const identity = JSON.parse(readFileSync(path.join(agent.stateDir, 'identity.json'), 'utf8'));
  const client = new AgentClient(app.url, identity.deviceId, identity.seed);
  return { identity, client, session: await client.session() };
}

async function connectAs(jwt: string, seed: string, name: string): Promise<NatsConnection> {
  for (let attempt = 1; ; attempt++) {
    try {
      const nc = await connect({
        servers: testNats().url,
        name,
        authenticator: jwtAuthenticator(jwt, new TextEncoder().encode(seed)),
        maxReconnectAttempts: 0,
        timeout: 30_000,
      });
      open.push(nc);
      return nc;
    } catch (error) {
      // A starved machine can miss NATS's authentication or dial deadline; a refusal is another matter.
      if (!/Authentication Timeout|TimeoutError|timeout/i.test(`${(error as Error).name} ${String(error)}`) || attempt >= 3) throw error;
    }
  }
}

function violation(nc: NatsConnection): Promise<string> {
  return new Promise((resolve) => {
    void (async () => {
      for await (const status of nc.status()) if (status.type === 'error') return resolve(String(status.error));
    })();
  });
}

it("cannot hear another device's wake-ups nor speak as it: permission violations", async () => {
  const { identity, session } = await stolen(alpha);
  const prefix = app.config.nats.prefix;
  const nc = await connectAs(session.nats.jwt, identity.seed, 'compromised');
  for (const subject of [
    `${prefix}.devices.cmd.${beta.deviceId}`,
    `${prefix}.devices.cmd.*`,
    `${prefix}.devices.from.${beta.deviceId}.heartbeat`,
    `${prefix}.tasks.>`,
    '>',
  ]) {
    expect(await natsRefusal(nc, subject)).toMatch(/Permissions Violation for Subscription/);
  }
  for (const subject of [
    `${prefix}.devices.from.${beta.deviceId}.heartbeat`,
    `${prefix}.devices.cmd.${beta.deviceId}`,
    `${prefix}.tasks.create`,
  ]) {
    const refused = violation(nc);
    nc.publish(subject, '{"kind":"sync"}');
    expect(await refused).toMatch(/Permissions Violation for Publish/);
  }
  // Its own subjects work: it hears its own wake-ups.
  const heard: string[] = [];
  nc.subscribe(session.nats.commands, { callback: (_error, message) => void heard.push(message.string()) });
  await nc.flush();
  const job = await createJob(app, acme, { name: 'wake', actions: [{ type: 'COMMAND', command: 'true' }] });
  await call(app.url, 'POST', `/api/jobs/${job.id}/runs`, { token: acme.tokens.member, body: { deviceId: alpha.deviceId } });
  await eventually('its own wake-up', async () => heard, (list) => list.length > 0);
  expect(JSON.parse(heard[0])).toMatchObject({ kind: 'run' });
});

it('is known on NATS by its signed name and key, never by the name the client gives itself', async () => {
  await eventually('beta online', () => device(beta.deviceId), (view) => view.online);
  await beta.stop();
  await eventually('beta offline', () => device(beta.deviceId), (view) => !view.online);
  // alpha's key, claiming beta's id as its connection name.
  const { identity, session } = await stolen(alpha);
  await connectAs(session.nats.jwt, identity.seed, beta.deviceId);
  await new Promise((resolve) => setTimeout(resolve, 1500));
  expect(await device(beta.deviceId)).toMatchObject({ online: false });
  beta.start();
  await eventually('beta back', () => device(beta.deviceId), (view) => view.online);
});

it("cannot fetch or report another device's runs over HTTPS", async () => {
  const job = await createJob(app, acme, { name: 'beta only', actions: [{ type: 'SCRIPT', content: 'sleep 5' }] });
  const { body } = await call(app.url, 'POST', `/api/jobs/${job.id}/runs`, { token: acme.tokens.member, body: { deviceId: beta.deviceId } });
  const runId = body.runs[0].runId;
  const { client } = await stolen(alpha);
  for (const [method, suffix, payload] of [
    ['POST', 'dispatch', undefined],
    ['GET', '', undefined],
    ['POST', 'start', { startedAt: new Date().toISOString() }],
    ['POST', 'finish', { finishedAt: new Date().toISOString() }],
  ] as const) {
    await expect(client.request(method, `/api/devices/agent/runs/${runId}${suffix ? `/${suffix}` : ''}`, payload)).rejects.toMatchObject({
      status: 404,
    });
  }
  await eventually('beta runs it', () => runOf(app, acme, runId), (run) => run.status === 'running');
});

it('unenrolling cuts a device off: NATS closes it, its credentials and renewals are refused, its queue is dropped', async () => {
  await eventually('both online', () => Promise.all([device(alpha.deviceId), device(beta.deviceId)]), (views) => views.every((view) => view.online));
  const { identity, client, session } = await stolen(alpha);
  // Alpha is stopped with a run waiting for it; beta keeps running.
  expect(await alpha.stop()).toBe(0);
  const job = await createJob(app, acme, { name: 'queued', actions: [{ type: 'COMMAND', command: 'true' }] });
  const { body } = await call(app.url, 'POST', `/api/jobs/${job.id}/runs`, { token: acme.tokens.member, body: { deviceId: alpha.deviceId } });
  await eventually('the run queued', () => runOf(app, acme, body.runs[0].runId), (run) => run.status === 'requested');
  const nc = await connectAs(session.nats.jwt, identity.seed, 'alpha-copy');
  const closed = nc.closed();

  for (const agent of [alpha, beta]) {
    expect((await call(app.url, 'DELETE', `/api/devices/${agent.deviceId}`, { token: acme.tokens.admin })).status).toBe(204);
  }
  // NATS closes the live connection at once (the key is revoked) and refuses it from then on.
  await expect(closed).resolves.toMatchObject({ message: expect.stringMatching(/Revoked|Authorization/) });
  await expect(connectAs(session.nats.jwt, identity.seed, 'again')).rejects.toThrow(/Authorization Violation/);
  // HTTPS: the access token and a renewal are refused.
  const refused = await call(app.url, 'GET', '/api/devices/agent/work', { headers: { authorization: `Bearer ${session.accessToken}` } });
  expect(refused.status).toBe(401);
  await expect(client.session(true)).rejects.toThrow(/unenrolled/);
  // The running agent stops for good (exit 3: systemd does not restart it), and so does the other when started.
  expect(await beta.exited()).toBe(3);
  alpha.start();
  expect(await alpha.exited()).toBe(3);
  // Its queue is dropped; its history stays.
  expect(await runOf(app, acme, body.runs[0].runId)).toMatchObject({ status: 'cancelled', error: expect.stringMatching(/unenrolled/) });
  expect(await device(alpha.deviceId)).toMatchObject({ enrolled: false, online: false });
});
