import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { call, type TestApp, type TestOrganisation } from '@taskinbox/testing';
import {
  agentBundle,
  buildAgent,
  createJob,
  enrolmentToken,
  eventually,
  finished,
  removeAgents,
  type RunningAgent,
  runOf,
  startAgent,
  startDevicesApp,
} from './agent.fixture';

// Enrolling, and run now on one device and on a group of three, with the real agent.
jest.setTimeout(60_000);

let app: TestApp;
let acme: TestOrganisation;
const agents: RunningAgent[] = [];

beforeAll(async () => {
  buildAgent();
  app = await startDevicesApp();
  acme = await app.createOrganisation('acme');
});
afterAll(async () => {
  await removeAgents();
  await app?.close();
});

const devices = async () => (await call(app.url, 'GET', '/api/devices', { token: acme.tokens.viewer })).body;

describe('enrolling a device', () => {
  it('enrols with a single-use token, reports its facts and comes online', async () => {
    const group = await call(app.url, 'POST', '/api/device-groups', { token: acme.tokens.admin, body: { name: 'web' } });
    const token = await enrolmentToken(app, acme, [group.body.id]);
    const agent = await startAgent(app, token, { name: 'web-1', env: { TASKINBOX_AGENT_LABELS: 'role=web,site=eu' } });
    agents.push(agent);
    const listed = await eventually(
      'the device online with its facts',
      devices,
      (list) => list.some((device: any) => device.id === agent.deviceId && device.online && device.labels.site === 'eu'),
    );
    expect(listed.find((device: any) => device.id === agent.deviceId)).toMatchObject({
      name: 'web-1',
      enrolled: true,
      online: true,
      lastSeenAt: expect.any(String),
      groupIds: [group.body.id],
      facts: { hostname: expect.any(String), kernel: expect.any(String), arch: expect.any(String), agentVersion: '0.1.0' },
      labels: { role: 'web', site: 'eu' },
      publicKey: expect.stringMatching(/^U[A-Z2-7]{55}$/),
    });
    // The token was spent: a second device cannot use it.
    await expect(startAgent(app, token)).rejects.toThrow(/unknown, already used, revoked or expired/);
    const tokens = await call(app.url, 'GET', '/api/devices/enrolment-tokens', { token: acme.tokens.admin });
    expect(tokens.body[0]).toMatchObject({ deviceId: agent.deviceId, usedAt: expect.any(String) });
    expect(tokens.body[0].token).toBeUndefined();
  });

  it('serves the one-command installer, its unit and the very agent it installs, and nothing else', async () => {
    const files = `${app.url}/api/devices/agent-files`;
    const installer = await fetch(`${files}/install.sh`);
    expect(installer.status).toBe(200);
    expect(await installer.text()).toContain('/api/devices/agent-files/taskinbox-agent.js');
    const unit = await fetch(`${files}/taskinbox-agent.service`);
    expect(await unit.text()).toMatch(/RestartPreventExitStatus=3/);
    const bundle = await fetch(`${files}/taskinbox-agent.js`);
    expect(Buffer.from(await bundle.arrayBuffer()).equals(readFileSync(agentBundle))).toBe(true);
    for (const name of ['agent.env', '..%2Fpackage.json', 'install.sh.bak']) {
      const refused = await call(app.url, 'GET', `/api/devices/agent-files/${name}`);
      expect(refused).toMatchObject({ status: 404, body: { details: { code: 'agent_file_not_found' } } });
    }
  });
});

describe('run now', () => {
  it('runs a job on one device, as the configured non-root user, with each action’s result', async () => {
    const [agent] = agents;
    const job = await createJob(app, acme, {
      name: 'who and where',
      actions: [
        { type: 'COMMAND', command: '/usr/bin/id', arguments: ['-un'] },
        { type: 'SCRIPT', content: 'echo "hello from $TASKINBOX_RUN_ID" && echo oops >&2 && exit 3' },
        { type: 'READ_FILE', path: '/etc/passwd', maxBytes: 4 },
      ],
      onFailure: 'continue',
    });
    const started = await call(app.url, 'POST', `/api/jobs/${job.id}/runs`, {
      token: acme.tokens.member,
      body: { deviceId: agent.deviceId },
    });
    expect(started.status).toBe(202);
    const { runId } = started.body.runs[0];
    const run = await eventually('the run to finish', () => runOf(app, acme, runId), finished);
    expect(run).toMatchObject({ status: 'failed', deviceId: agent.deviceId, jobVersion: 1, actionCount: 3, actionsDone: 3 });
    expect(run.actions).toEqual([
      expect.objectContaining({ index: 0, type: 'COMMAND', ok: true, code: 0, output: 'nobody\n', truncated: false }),
      expect.objectContaining({ index: 1, type: 'SCRIPT', ok: false, code: 3, output: `hello from ${runId}\n`, error: 'oops\n' }),
      expect.objectContaining({ index: 2, type: 'READ_FILE', ok: true, truncated: true, summary: 'read /etc/passwd' }),
    ]);
    expect(run.actions[2].output).toMatch(/^root\n… \d+ bytes omitted …/);
    expect(run.startedAt).toEqual(expect.any(String));
  });

  it('runs on each of a group of three devices, with a result for each', async () => {
    const group = await call(app.url, 'POST', '/api/device-groups', {
      token: acme.tokens.admin,
      body: { name: 'batch', selector: { fleet: 'b' } },
    });
    const fleet = await Promise.all(
      [1, 2, 3].map(async (n) => startAgent(app, await enrolmentToken(app, acme), { name: `b-${n}`, env: { TASKINBOX_AGENT_LABELS: 'fleet=b' } })),
    );
    await eventually(
      'the group to hold the three devices',
      async () => (await call(app.url, 'GET', `/api/device-groups/${group.body.id}`, { token: acme.tokens.viewer })).body,
      (view) => view.members.length === 3,
    );
    const job = await createJob(app, acme, { name: 'uname', actions: [{ type: 'COMMAND', command: 'uname', arguments: ['-s'] }] });
    const started = await call(app.url, 'POST', `/api/jobs/${job.id}/runs`, {
      token: acme.tokens.admin,
      body: { groupId: group.body.id },
    });
    expect(started.status).toBe(202);
    expect(started.body.runs.map((run: any) => run.deviceId).sort()).toEqual(fleet.map((agent) => agent.deviceId).sort());
    const batch = await eventually(
      'every run of the batch to succeed',
      async () =>
        (await call(app.url, 'GET', `/api/runs?batchId=${started.body.batchId}`, { token: acme.tokens.viewer })).body.items,
      (items: any[]) => items.length === 3 && items.every((item) => item.status === 'succeeded'),
    );
    for (const item of batch) {
      const run = await runOf(app, acme, item.id);
      expect(run.actions).toEqual([expect.objectContaining({ ok: true, code: 0, output: 'Linux\n' })]);
    }
  });

  it('kills a timed-out action’s whole process group, TERM then KILL, and caps a flood of output', async () => {
    const [agent] = agents;
    const job = await createJob(app, acme, {
      name: 'stubborn',
      outputMaxBytes: 1024,
      actions: [
        { type: 'SCRIPT', content: 'head -c 200000 /dev/zero | tr "\\0" x; echo; echo END', timeoutSeconds: 20 },
        // A child that ignores TERM keeps the group alive until KILL.
        { type: 'SCRIPT', content: "sh -c 'trap \"\" TERM; sleep 30' & trap '' TERM; sleep 30", timeoutSeconds: 1 },
      ],
      onFailure: 'continue',
    });
    const started = Date.now();
    const { body } = await call(app.url, 'POST', `/api/jobs/${job.id}/runs`, {
      token: acme.tokens.admin,
      body: { deviceId: agent.deviceId },
    });
    const run = await eventually('the run to finish', () => runOf(app, acme, body.runs[0].runId), finished);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(run.actions[0]).toMatchObject({ ok: true, truncated: true });
    expect(run.actions[0].output).toMatch(/^x{512}/);
    expect(run.actions[0].output).toMatch(/bytes omitted …\n[x]*\nEND\n$/);
    expect(run.actions[1]).toMatchObject({ ok: false, code: 137 });
    expect(run.actions[1].error).toMatch(/timed out after 1 s: SIGTERM to its process group, SIGKILL/);
    // Nothing of the group is left running.
    expect(() => execFileSync('pgrep', ['-u', 'nobody', '-f', 'sleep 30'])).toThrow();
  });

  it('opens an inbox task for a failing run, through the task path, linked to the run', async () => {
    const [agent] = agents;
    const job = await createJob(app, acme, {
      name: 'disk check',
      openTaskOnFailure: true,
      actions: [{ type: 'SCRIPT', content: 'echo "disk 97% full" >&2; exit 1' }],
    });
    const { body } = await call(app.url, 'POST', `/api/jobs/${job.id}/runs`, { token: acme.tokens.member, body: { deviceId: agent.deviceId } });
    const runId = body.runs[0].runId;
    const run = await eventually('the task linked to the failed run', () => runOf(app, acme, runId), (view) => Boolean(view.taskId));
    expect(run.status).toBe('failed');
    const task = await call(app.url, 'GET', `/api/tasks/${run.taskId}`, { token: acme.tokens.member });
    expect(task.status).toBe(200);
    expect(task.body).toMatchObject({
      status: 'pending',
      taskType: 'device.run.failed',
      title: 'Job "disk check" failed on web-1',
      externalRef: `run:${runId}`,
      priority: 'high',
      payload: { runId, jobId: job.id, deviceId: agent.deviceId, failedActions: [0] },
    });
    // A run that succeeds, or whose job does not ask, opens none.
    const quiet = await createJob(app, acme, { name: 'quiet failure', actions: [{ type: 'COMMAND', command: 'false' }] });
    const again = await call(app.url, 'POST', `/api/jobs/${quiet.id}/runs`, { token: acme.tokens.member, body: { deviceId: agent.deviceId } });
    expect(await eventually('done', () => runOf(app, acme, again.body.runs[0].runId), finished)).toMatchObject({ status: 'failed', taskId: null });
  });
});
