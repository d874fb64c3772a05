import { createUser, fromSeed } from '@nats-io/nkeys';
import { AgentClient, challengeText, DeviceUnenrolled, enrol, scheduledRunId, sign } from '@taskinbox/device-protocol';
import { IngestModule } from '@taskinbox/ingest';
import { call, startTestApp, type TestApp, type TestOrganisation } from '@taskinbox/testing';
import { DevicesModule } from './devices.module';
import type { Clock } from './devices.clock';
import { RunRetention } from './retention/run.retention';

// The devices API on its own: who may call what, hostile device input, idempotent reports,
// enrolment tokens, retention and the OpenAPI document. Devices here speak the agent protocol
// from the test (the real agent is in apps/agent/e2e).
jest.setTimeout(60_000);

class TestClock implements Clock {
  at = new Date();
  now = () => new Date(this.at);
}
const clock = new TestClock();
let app: TestApp;
let acme: TestOrganisation;
let globex: TestOrganisation;

beforeAll(async () => {
  app = await startTestApp({ imports: [IngestModule, DevicesModule.forRoot({ clock })] });
  [acme, globex] = await Promise.all([app.createOrganisation('acme'), app.createOrganisation('globex')]);
});
afterAll(() => app?.close());

const facts = { hostname: 'sim-1', os: 'Debian 12', kernel: '6.1', arch: 'x64', agentVersion: 'test' };

async function token(org: TestOrganisation, body: Record<string, unknown> = {}): Promise<string> {
  const created = await call(app.url, 'POST', '/api/devices/enrolment-tokens', { token: org.tokens.admin, body });
  expect(created.status).toBe(201);
  return created.body.token;
}

/** A device as an agent would enrol it: its own nkey, the token signed with it. */
async function device(org: TestOrganisation, labels: Record<string, string> = {}) {
  const seed = new TextDecoder().decode(createUser().getSeed());
  const enrolled = await enrol(app.url, seed, { token: await token(org), facts, labels });
  const client = new AgentClient(app.url, enrolled.deviceId, seed);
  const session = await client.session();
  return { deviceId: enrolled.deviceId, seed, client, accessToken: session.accessToken };
}

const asDevice = (accessToken: string, method: string, path: string, body?: unknown) =>
  call(app.url, method, path, { headers: { authorization: `Bearer ${accessToken}` }, body });

async function job(org: TestOrganisation, body: Record<string, unknown> = {}) {
  const created = await call(app.url, 'POST', '/api/jobs', {
    token: org.tokens.admin,
    body: { name: 'job', actions: [{ type: 'COMMAND', command: 'true' }, { type: 'COMMAND', command: 'true' }], ...body },
  });
  expect(created.status).toBe(201);
  return created.body;
}

async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out; last ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const run = (org: TestOrganisation, id: string) =>
  call(app.url, 'GET', `/api/runs/${id}`, { token: org.tokens.viewer }).then((response) => response.body);

describe('who may call what', () => {
  it('gives each route to the roles it names, refuses services and devices, and hides other organisations', async () => {
    const sim = await device(acme);
    const theirs = await device(globex);
    const group = await call(app.url, 'POST', '/api/device-groups', { token: acme.tokens.admin, body: { name: 'g' } });
    const created = await job(acme);
    const schedule = await call(app.url, 'POST', `/api/jobs/${created.id}/schedules`, {
      token: acme.tokens.admin,
      body: { cron: '0 3 * * *', deviceId: sim.deviceId },
    });
    const started = await call(app.url, 'POST', `/api/jobs/${created.id}/runs`, { token: acme.tokens.member, body: { deviceId: sim.deviceId } });
    expect(started.status).toBe(202);
    const runId = started.body.runs[0].runId;
    await eventually(() => run(acme, runId), (view) => view.id === runId);
    const tokens = await call(app.url, 'GET', '/api/devices/enrolment-tokens', { token: acme.tokens.admin });

    type Route = [method: string, path: string, body: unknown, roles: ('admin' | 'member' | 'viewer')[], ok: number];
    const everyone = ['admin', 'member', 'viewer'] as const;
    const routes: Route[] = [
      ['GET', '/api/devices', undefined, [...everyone], 200],
      ['GET', `/api/devices/${sim.deviceId}`, undefined, [...everyone], 200],
      ['PATCH', `/api/devices/${sim.deviceId}`, { name: 'renamed' }, ['admin'], 200],
      ['GET', '/api/devices/enrolment-tokens', undefined, ['admin'], 200],
      ['POST', '/api/devices/enrolment-tokens', {}, ['admin'], 201],
      ['DELETE', `/api/devices/enrolment-tokens/${tokens.body[0].id}`, undefined, ['admin'], 204],
      ['GET', '/api/device-groups', undefined, [...everyone], 200],
      ['GET', `/api/device-groups/${group.body.id}`, undefined, [...everyone], 200],
      ['PUT', `/api/device-groups/${group.body.id}`, { name: 'g' }, ['admin'], 200],
      ['GET', '/api/jobs', undefined, [...everyone], 200],
      ['GET', `/api/jobs/${created.id}`, undefined, [...everyone], 200],
      ['PUT', `/api/jobs/${created.id}`, { name: 'job', actions: [{ type: 'COMMAND', command: 'true' }] }, ['admin'], 200],
      ['POST', `/api/jobs/${created.id}/schedules`, { cron: '0 4 * * *', deviceId: sim.deviceId }, ['admin'], 201],
      ['PUT', `/api/jobs/${created.id}/schedules/${schedule.body.id}`, { cron: '0 5 * * *', deviceId: sim.deviceId }, ['admin'], 200],
      ['POST', `/api/jobs/${created.id}/runs`, { deviceId: sim.deviceId }, ['admin', 'member'], 202],
      ['GET', '/api/runs', undefined, [...everyone], 200],
      ['GET', `/api/runs/${runId}`, undefined, [...everyone], 200],
      ['POST', '/api/jobs', { name: 'x', actions: [{ type: 'COMMAND', command: 'true' }] }, ['admin'], 201],
      ['POST', '/api/device-groups', { name: `g-${Math.random()}` }, ['admin'], 201],
    ];
    for (const [method, path, body, roles, ok] of routes) {
      for (const role of everyone) {
        const response = await call(app.url, method, path, { token: acme.tokens[role], body });
        expect({ route: `${method} ${path}`, role, status: response.status }).toEqual({
          route: `${method} ${path}`,
          role,
          status: roles.includes(role) ? ok : 403,
        });
      }
      for (const [who, token] of [
        ['service', acme.tokens.service],
        ['device', sim.accessToken],
        ['nobody', undefined],
      ] as const) {
        const response = await call(app.url, method, path, { token, body });
        expect({ route: `${method} ${path}`, who, status: response.status }).toEqual({
          route: `${method} ${path}`,
          who,
          status: who === 'service' ? 403 : 401,
        });
      }
      // Another organisation's admin: its things answer like missing ones, lists hold none of them.
      const foreign = await call(app.url, method, path, { token: globex.tokens.admin, body });
      if (/[0-9a-f]{8}-/.test(path)) expect({ route: `${method} ${path}`, status: foreign.status }).toEqual({ route: `${method} ${path}`, status: 404 });
      else if (method === 'GET') expect(JSON.stringify(foreign.body)).not.toContain(sim.deviceId);
    }
    // Cross-organisation references in bodies are refused too.
    const crossRun = await call(app.url, 'POST', `/api/jobs/${created.id}/runs`, { token: acme.tokens.admin, body: { deviceId: theirs.deviceId } });
    expect(crossRun.status).toBe(404);
    const crossGroup = await call(app.url, 'POST', '/api/device-groups', { token: acme.tokens.admin, body: { name: 'x', deviceIds: [theirs.deviceId] } });
    expect(crossGroup).toMatchObject({ status: 400, body: { message: expect.stringMatching(/deviceIds/) } });
    // Agent routes take only a device's access token.
    for (const tokenOf of [acme.tokens.admin, acme.tokens.service, undefined]) {
      expect((await call(app.url, 'GET', '/api/devices/agent/work', { token: tokenOf })).status).toBe(401);
    }
  });
});

describe('what a device sends is checked field by field', () => {
  it('refuses each bad field with a 400 naming it, and records nothing', async () => {
    const sim = await device(acme);
    const created = await job(acme, { outputMaxBytes: 256 });
    const started = await call(app.url, 'POST', `/api/jobs/${created.id}/runs`, { token: acme.tokens.member, body: { deviceId: sim.deviceId } });
    const runId = started.body.runs[0].runId;
    const base = `/api/devices/agent/runs/${runId}`;
    expect((await asDevice(sim.accessToken, 'POST', `${base}/dispatch`)).status).toBe(200);
    expect((await asDevice(sim.accessToken, 'POST', `${base}/start`, { startedAt: new Date().toISOString() })).status).toBe(204);
    const report = { code: 0, ok: true, output: 'fine', error: '', truncated: false, durationMs: 3, finishedAt: new Date().toISOString() };
    const refusals: [string, string, unknown, RegExp][] = [
      ['PUT', `${base}/actions/0`, { ...report, output: 'x'.repeat(400) }, /output must be at most 320/],
      ['PUT', `${base}/actions/0`, { ...report, code: 'zero' }, /code/],
      ['PUT', `${base}/actions/0`, { ...report, finishedAt: 'yesterday' }, /finishedAt must be an ISO 8601/],
      ['PUT', `${base}/actions/0`, { ...report, durationMs: -1 }, /durationMs/],
      ['PUT', `${base}/actions/0`, { ...report, error: 'bell\u0007' }, /error must be text/],
      ['PUT', `${base}/actions/0`, { ...report, extra: 1 }, /extra should not exist/],
      ['PUT', `${base}/actions/7`, report, /action index must be from 0 to 1/],
      ['PUT', `${base}/actions/x`, report, /numeric string is expected/],
      ['POST', `${base}/finish`, { finishedAt: '1999-01-01T00:00:00Z' }, /finishedAt must be a date-time between/],
      ['PUT', '/api/devices/agent/facts', { facts: { ...facts, hostname: 'a\nb' }, labels: {} }, /hostname must be printable text on one line/],
      ['PUT', '/api/devices/agent/facts', { facts, labels: { 'Bad Key': 'x' } }, /labels key 'Bad Key'/],
      [
        'POST',
        `/api/devices/agent/runs/${runId}/start`.replace(runId, '01a2c0de-0000-7000-8000-000000000000'),
        { startedAt: new Date().toISOString(), schedule: { scheduleId: '01a2c0de-0000-7000-8000-000000000001', scheduledFor: new Date().toISOString(), jobVersion: 1 } },
        /scheduleId names no schedule of this organisation/,
      ],
    ];
    for (const [method, path, body, message] of refusals) {
      const response = await asDevice(sim.accessToken, method, path, body);
      expect({ path, status: response.status, message: response.body.message }).toEqual({ path, status: 400, message: expect.stringMatching(message) });
    }
    // A scheduled slot must come under its own id: a device cannot choose run ids.
    const schedule = await call(app.url, 'POST', `/api/jobs/${created.id}/schedules`, { token: acme.tokens.admin, body: { cron: '* * * * *', deviceId: sim.deviceId } });
    const slot = { scheduleId: schedule.body.id, scheduledFor: '2026-01-01T00:00:00.000Z', jobVersion: 1 };
    const chosen = await asDevice(sim.accessToken, 'POST', '/api/devices/agent/runs/01a2c0de-0000-7000-8000-000000000002/start', { startedAt: new Date().toISOString(), schedule: slot });
    expect(chosen).toMatchObject({ status: 400, body: { message: expect.stringMatching(/runId is not the id of this schedule slot/) } });
    const right = scheduledRunId(slot.scheduleId, sim.deviceId, new Date(slot.scheduledFor));
    expect((await asDevice(sim.accessToken, 'POST', `/api/devices/agent/runs/${right}/start`, { startedAt: new Date().toISOString(), schedule: slot })).status).toBe(204);
    // Nothing of the refused reports was recorded.
    const { rows } = await app.pool.query('SELECT event_type FROM es_events WHERE stream_id = $1 ORDER BY stream_revision', [`run-${runId}`]);
    expect(rows.map((row) => row.event_type)).toEqual(['RunRequested', 'RunDispatched', 'RunStarted']);
  });

  it('records a report sent twice once', async () => {
    const sim = await device(acme);
    const created = await job(acme);
    const { body } = await call(app.url, 'POST', `/api/jobs/${created.id}/runs`, { token: acme.tokens.member, body: { deviceId: sim.deviceId } });
    const base = `/api/devices/agent/runs/${body.runs[0].runId}`;
    const report = { code: 0, ok: true, output: 'ok', error: '', truncated: false, durationMs: 1, finishedAt: new Date().toISOString() };
    for (let i = 0; i < 2; i++) {
      expect((await asDevice(sim.accessToken, 'POST', `${base}/start`, { startedAt: new Date().toISOString() })).status).toBe(204);
      // The same report twice at once; the next action's after them, as an agent reports in order
      // (an action reported after a later one is refused).
      const twice = await Promise.all([0, 0].map((index) => asDevice(sim.accessToken, 'PUT', `${base}/actions/${index}`, report)));
      const next = await asDevice(sim.accessToken, 'PUT', `${base}/actions/1`, report);
      expect([...twice, next].map((response) => response.status)).toEqual([204, 204, 204]);
      expect((await asDevice(sim.accessToken, 'POST', `${base}/finish`, { finishedAt: new Date().toISOString() })).status).toBe(204);
    }
    const { rows } = await app.pool.query('SELECT event_type FROM es_events WHERE stream_id = $1 ORDER BY stream_revision', [`run-${body.runs[0].runId}`]);
    expect(rows.map((row) => row.event_type)).toEqual(['RunRequested', 'RunStarted', 'ActionFinished', 'ActionFinished', 'RunFinished']);
    expect(await eventually(() => run(acme, body.runs[0].runId), (view) => view.status === 'succeeded')).toMatchObject({ actionsDone: 2 });
  });
});

describe('enrolment', () => {
  it('refuses an expired, revoked or used token, a signature by another key, and a forged session', async () => {
    const seed = new TextDecoder().decode(createUser().getSeed());
    clock.at = new Date();
    const expiring = await token(acme, { expiresInMinutes: 1 });
    clock.at = new Date(Date.now() + 2 * 60_000);
    await expect(enrol(app.url, seed, { token: expiring, facts, labels: {} })).rejects.toMatchObject({ status: 401 });
    clock.at = new Date();
    const revoked = await call(app.url, 'POST', '/api/devices/enrolment-tokens', { token: acme.tokens.admin, body: {} });
    await call(app.url, 'DELETE', `/api/devices/enrolment-tokens/${revoked.body.id}`, { token: acme.tokens.admin });
    await expect(enrol(app.url, seed, { token: revoked.body.token, facts, labels: {} })).rejects.toMatchObject({ status: 401 });
    const good = await token(acme);
    const other = new TextDecoder().decode(createUser().getSeed());
    const forged = await call(app.url, 'POST', '/api/devices/enrol', {
      body: { token: good, publicKey: createUser().getPublicKey(), signature: 'A'.repeat(86), facts },
    });
    expect(forged).toMatchObject({ status: 400, body: { message: expect.stringMatching(/signature/) } });
    const first = await enrol(app.url, seed, { token: good, facts, labels: {} });
    // The same key retrying gets the same device; another key is refused.
    expect((await enrol(app.url, seed, { token: good, facts, labels: {} })).deviceId).toBe(first.deviceId);
    await expect(enrol(app.url, other, { token: good, facts, labels: {} })).rejects.toMatchObject({ status: 401 });
    // A session needs the device's own signature of a fresh nonce.
    const challenge = await call(app.url, 'POST', '/api/devices/agent/challenge', { body: { deviceId: first.deviceId } });
    const impostor = new AgentClient(app.url, first.deviceId, other);
    // Refused as a failed sign-in, never told anything about the device's enrolment.
    await expect(impostor.session()).rejects.toMatchObject({ status: 401, code: 'device_auth_failed' });
    const replay = await call(app.url, 'POST', '/api/devices/agent/session', {
      body: { deviceId: first.deviceId, nonce: challenge.body.nonce, signature: 'A'.repeat(86) },
    });
    expect(replay.status).toBe(401);
    expect(first.nats.jwt.split('.')).toHaveLength(3);
    const claims = JSON.parse(Buffer.from(first.nats.jwt.split('.')[1], 'base64url').toString());
    expect(claims.exp - claims.iat).toBeLessThanOrEqual(24 * 3600);
    expect(claims).toMatchObject({ name: first.deviceId, sub: createUserPublic(seed) });
  });

  it('signs in with any of its open nonces: asking again, or a stranger asking in its name, spends none', async () => {
    const sim = await device(acme);
    const ask = async () =>
      (await call(app.url, 'POST', '/api/devices/agent/challenge', { body: { deviceId: sim.deviceId } })).body.nonce as string;
    const signIn = (nonce: string, seed = sim.seed) =>
      call(app.url, 'POST', '/api/devices/agent/session', {
        body: { deviceId: sim.deviceId, nonce, signature: sign(seed, challengeText(nonce)) },
      });
    const mine = await ask();
    const strangers = await Promise.all([ask(), ask(), ask()]);
    expect((await signIn(mine)).status).toBe(200);
    // Single use: the same signed nonce again is refused.
    expect(await signIn(mine)).toMatchObject({ status: 401, body: { details: { code: 'device_auth_failed' } } });
    expect((await signIn(strangers[0])).status).toBe(200);
    // Concurrent renewals of one device all succeed.
    const renewals = await Promise.all([1, 2, 3].map(() => new AgentClient(app.url, sim.deviceId, sim.seed).session(true)));
    expect(renewals.every((session) => session.accessToken.startsWith('tid_'))).toBe(true);
    // Once unenrolled, only the key's holder hears so (409); anyone else gets the plain 401.
    expect((await call(app.url, 'DELETE', `/api/devices/${sim.deviceId}`, { token: acme.tokens.admin })).status).toBe(204);
    const other = new TextDecoder().decode(createUser().getSeed());
    expect(await signIn(await ask(), other)).toMatchObject({ status: 401, body: { details: { code: 'device_auth_failed' } } });
    expect(await signIn(await ask())).toMatchObject({ status: 409, body: { details: { code: 'device_unenrolled' } } });
    await expect(sim.client.session(true)).rejects.toThrow(DeviceUnenrolled);
  });
});

function createUserPublic(seed: string): string {
  return fromSeed(new TextEncoder().encode(seed)).getPublicKey();
}

describe('schedules and jobs', () => {
  it('names what is wrong with a cron, a zone, a target or an action', async () => {
    const sim = await device(acme);
    const created = await job(acme);
    const bad: [unknown, RegExp][] = [
      [{ cron: '61 * * * *', deviceId: sim.deviceId }, /cron is not valid/],
      [{ cron: '* * *', deviceId: sim.deviceId }, /cron must have 5 fields/],
      [{ cron: '0 9 * * *', timezone: 'Mars/Olympus', deviceId: sim.deviceId }, /timezone 'Mars\/Olympus' is not an IANA time zone/],
      [{ cron: '0 9 * * *' }, /deviceId must be a UUID/],
      [{ cron: '0 9 * * *', deviceId: sim.deviceId, misfire: 'sometimes' }, /misfire/],
      [{ cron: '0 9 * * *', deviceId: sim.deviceId, overlap: 'queue' }, /overlap/],
    ];
    for (const [body, message] of bad) {
      const response = await call(app.url, 'POST', `/api/jobs/${created.id}/schedules`, { token: acme.tokens.admin, body });
      expect({ body, status: response.status, message: response.body.message }).toEqual({ body, status: 400, message: expect.stringMatching(message) });
    }
    const badJobs: [unknown, RegExp][] = [
      [{ name: 'x', actions: [] }, /actions must contain at least 1/],
      [{ name: 'x', actions: [{ type: 'TELEPORT' }] }, /type must be one of/],
      [{ name: 'x', actions: [{ type: 'HTTP_REQUEST', method: 'GET', url: 'ftp://x' }] }, /url must be an http\(s\) URL/],
      [{ name: 'x', actions: [{ type: 'HTTP_REQUEST', method: 'GET', url: 'https://x.example', headers: ['X: a\r\nHost: evil'] }] }, /header/],
      [{ name: 'x', actions: [{ type: 'SCRIPT', content: 'true', interpreter: 'sh' }] }, /interpreter must be an absolute path/],
      [{ name: 'x', actions: [{ type: 'COMMAND', command: 'true', environment: [{ key: 'A=B', value: '1' }] }] }, /environment key/],
      [{ name: 'x', actions: [{ type: 'READ_FILE', path: 'relative' }] }, /path must be an absolute path/],
      [{ name: 'x', actions: [{ type: 'COMMAND', command: 'true', timeoutSeconds: 0 }] }, /timeoutSeconds/],
      [{ name: 'x', runAs: 'Root!', actions: [{ type: 'COMMAND', command: 'true' }] }, /runAs must be a Linux user name/],
    ];
    for (const [body, message] of badJobs) {
      const response = await call(app.url, 'POST', '/api/jobs', { token: acme.tokens.admin, body });
      expect({ body, status: response.status, message: response.body.message }).toEqual({ body, status: 400, message: expect.stringMatching(message) });
    }
  });
});

describe('retention', () => {
  it('deletes finished runs past their days and beyond their count, streams and rows, and keeps running ones', async () => {
    const sim = await device(acme);
    const created = await job(acme, { retentionDays: 7, retentionCount: 2, actions: [{ type: 'COMMAND', command: 'true' }] });
    const runIds: string[] = [];
    for (let i = 0; i < 4; i++) {
      const { body } = await call(app.url, 'POST', `/api/jobs/${created.id}/runs`, { token: acme.tokens.member, body: { deviceId: sim.deviceId } });
      runIds.push(body.runs[0].runId);
    }
    const finish = async (runId: string) => {
      const base = `/api/devices/agent/runs/${runId}`;
      await asDevice(sim.accessToken, 'POST', `${base}/start`, { startedAt: new Date().toISOString() });
      await asDevice(sim.accessToken, 'PUT', `${base}/actions/0`, { code: 0, ok: true, output: '', error: '', truncated: false, durationMs: 1, finishedAt: new Date().toISOString() });
      await asDevice(sim.accessToken, 'POST', `${base}/finish`, { finishedAt: new Date().toISOString() });
    };
    for (const runId of runIds.slice(0, 3)) await finish(runId);
    await eventually(() => Promise.all(runIds.map((id) => run(acme, id))), (views) => views.slice(0, 3).every((view) => view.status === 'succeeded'));
    const retention = app.app.get(RunRetention);
    clock.at = new Date();
    // By count: of three finished runs two stay (the fourth still waits and is never touched).
    expect(await retention.sweep()).toBe(1);
    expect((await call(app.url, 'GET', `/api/runs/${runIds[0]}`, { token: acme.tokens.viewer })).status).toBe(404);
    expect((await app.pool.query('SELECT count(*)::int AS n FROM es_events WHERE stream_id = $1', [`run-${runIds[0]}`])).rows[0].n).toBe(0);
    // By days: eight days on, the finished ones go, the waiting one stays.
    clock.at = new Date(Date.now() + 8 * 24 * 3600_000);
    expect(await retention.sweep()).toBe(2);
    const left = await call(app.url, 'GET', `/api/runs?jobId=${created.id}`, { token: acme.tokens.viewer });
    expect(left.body.items.map((item: { id: string }) => item.id)).toEqual([runIds[3]]);
    clock.at = new Date();
  });
});

describe('the OpenAPI document', () => {
  it('describes every devices route with its response schema', async () => {
    const { body } = await call(app.url, 'GET', '/api/docs/openapi.json');
    const routes = Object.entries(body.paths as Record<string, Record<string, any>>).filter(([path]) =>
      /^\/api\/(devices|device-groups|jobs|runs)/.test(path),
    );
    expect(routes.length).toBeGreaterThanOrEqual(20);
    for (const [path, methods] of routes) {
      for (const [method, operation] of Object.entries(methods)) {
        const responses = Object.entries(operation.responses as Record<string, any>);
        const described = responses.some(
          // JSON bodies, the event stream and the agent's files (text) each state their schema.
          ([status, response]) =>
            status === '204' || Object.values((response.content ?? {}) as Record<string, { schema?: unknown }>).some((content) => content.schema),
        );
        expect({ route: `${method} ${path}`, described }).toEqual({ route: `${method} ${path}`, described: true });
      }
    }
    expect(Object.keys(body.components.schemas)).toEqual(
      expect.arrayContaining(['DeviceSummary', 'JobView', 'RunDetail', 'RunPage', 'EnrolmentView', 'AgentWorkView', 'HttpActionDto']),
    );
  });
});
