import 'reflect-metadata';
import { createUser } from '@nats-io/nkeys';
import { connect, jwtAuthenticator, type NatsConnection } from '@nats-io/transport-node';
import { execFile, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { AgentClient, enrol, type RunOrder, type WakeMessage } from '@taskinbox/device-protocol';
import { DevicesModule } from '@taskinbox/devices';
import { IngestModule } from '@taskinbox/ingest';
import { call, connectTestNats, prepareTemplateDatabase, startRunNats, startTestApp, stopRunNats, testNats } from '@taskinbox/testing';

// npm run bench:devices. Dispatch latency (run now → the action starting on a real agent) beside
// a bare NATS request round trip; a group run fanned out to 500 simulated agents (NATS clients in
// this process speaking the agent protocol) beside a bare NATS fan-out to the same clients; the
// real agent's idle memory beside an idle Node process. Load average printed with the figures.

const repository = path.resolve(__dirname, '../../..');
const bundle = path.join(repository, 'dist/agent/taskinbox-agent.js');
const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))];
const ms = (value: number) => `${value.toFixed(1)} ms`;
const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error('bench: timed out');
    await sleep(20);
  }
}

/** A loaded machine can miss NATS's authentication deadline: that is worth another try, a refusal is not. */
async function retrying<T>(connecting: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await connecting();
    } catch (error) {
      if (attempt >= 8 || !/timeout/i.test(`${(error as Error).name} ${String(error)}`)) throw error;
    }
  }
}

const rssKiB = (pid: number): number => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);

async function main(): Promise<void> {
  const started = loadavg();
  execFileSync(process.execPath, [path.join(repository, 'tools/build-agent.js')], { stdio: 'ignore' });
  await Promise.all([prepareTemplateDatabase(), startRunNats()]);
  const t = await startTestApp({
    imports: [IngestModule, DevicesModule.forRoot()],
    env: { DEVICES_HEARTBEAT_SECONDS: '30', DEVICES_POLL_SECONDS: '300', DATABASE_POOL_SIZE: '30' },
  });
  const org = await t.createOrganisation('bench');
  const admin = org.tokens.admin;
  const token = async () =>
    (await call(t.url, 'POST', '/api/devices/enrolment-tokens', { token: admin, body: { name: 'bench' } })).body.token as string;
  const job = (await call(t.url, 'POST', '/api/jobs', { token: admin, body: { name: 'bench', actions: [{ type: 'COMMAND', command: 'true' }] } })).body;
  const runOf = async (id: string) => (await call(t.url, 'GET', `/api/runs/${id}`, { token: admin })).body;

  // --- bare NATS request round trip (the raw limit of a wake-up) -------------------------------
  const services = await retrying(() => connectTestNats({ name: 'bench-echo' }));
  const echo = `${t.config.nats.prefix}.bench.echo`;
  services.subscribe(echo, { callback: (_error, message) => void message.respond(message.data) });
  const requester = await retrying(() => connectTestNats({ name: 'bench-requester' }));
  const roundTrips: number[] = [];
  for (let i = 0; i < 300; i++) {
    const at = performance.now();
    await requester.request(echo, 'x', { timeout: 5000 });
    if (i >= 20) roundTrips.push(performance.now() - at);
  }

  // --- dispatch latency on one real agent --------------------------------------------------------
  const stateDir = mkdtempSync(path.join(tmpdir(), 'taskinbox-agent-bench-'));
  const env = { PATH: process.env.PATH, TASKINBOX_AGENT_STATE_DIR: stateDir, ...(process.getuid?.() === 0 ? { TASKINBOX_AGENT_RUN_AS: 'nobody' } : {}) };
  const enrolled = JSON.parse((await promisify(execFile)(process.execPath, [bundle, 'enrol', '--server', t.url, '--token', await token()], { env })).stdout);
  const agent = spawn(process.execPath, [bundle, 'run'], { env, stdio: 'ignore' });
  await until(async () => (await call(t.url, 'GET', `/api/devices/${enrolled.deviceId}`, { token: admin })).body, (view) => view.online);
  const dispatch: number[] = [];
  for (let i = 0; i < 60; i++) {
    const at = Date.now();
    const { body } = await call(t.url, 'POST', `/api/jobs/${job.id}/runs`, { token: admin, body: { deviceId: enrolled.deviceId } });
    const run = await until(() => runOf(body.runs[0].runId), (view) => view.status === 'succeeded');
    if (i >= 5) dispatch.push(Date.parse(run.startedAt) - at);
  }
  // Idle: no runs, heartbeats only.
  await sleep(10_000);
  const agentRss = rssKiB(agent.pid!);
  const idleNode = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  await sleep(2000);
  const nodeRss = rssKiB(idleNode.pid!);
  idleNode.kill();
  agent.kill('SIGTERM');

  // --- fan-out to 500 simulated agents -------------------------------------------------------------
  const count = Number(process.env.BENCH_DEVICES ?? 500);
  const group = (await call(t.url, 'POST', '/api/device-groups', { token: admin, body: { name: 'fleet', selector: { fleet: 'sim' } } })).body;
  const facts = { hostname: 'sim', os: 'simulated', kernel: '-', arch: 'x64', agentVersion: 'bench' };
  const simulated: { nc: NatsConnection; client: AgentClient; commands: string }[] = [];
  for (let i = 0; i < count; i += 10) {
    simulated.push(
      ...(await Promise.all(
        Array.from({ length: Math.min(10, count - i) }, async () => {
          const seed = new TextDecoder().decode(createUser().getSeed());
          const device = await enrol(t.url, seed, { token: await token(), facts, labels: { fleet: 'sim' } });
          const client = new AgentClient(t.url, device.deviceId, seed);
          const session = await client.session();
          const nc = await retrying(() =>
            connect({
              servers: testNats().url,
              authenticator: jwtAuthenticator(session.nats.jwt, new TextEncoder().encode(seed)),
            }),
          );
          return { nc, client, commands: session.nats.commands };
        }),
      )),
    );
  }
  let bareReceived = 0;
  let phase: 'bare' | 'runs' = 'bare';
  for (const sim of simulated) {
    sim.nc.subscribe(sim.commands, {
      callback: (_error, message) => {
        const wake = message.json<WakeMessage>();
        if (phase === 'bare') return void bareReceived++;
        if (wake.kind !== 'run') return;
        // The agent protocol, as a real agent speaks it (the action itself does nothing).
        void (async () => {
          const base = `/api/devices/agent/runs/${wake.runId}`;
          await sim.client.request<RunOrder>('POST', `${base}/dispatch`);
          const now = () => new Date().toISOString();
          await sim.client.request('POST', `${base}/start`, { startedAt: now() });
          await sim.client.request('PUT', `${base}/actions/0`, { code: 0, ok: true, output: '', error: '', truncated: false, durationMs: 0, finishedAt: now() });
          await sim.client.request('POST', `${base}/finish`, { finishedAt: now() });
        })().catch((error: unknown) => console.error('simulated agent:', String(error)));
      },
    });
  }
  await Promise.all(simulated.map((sim) => sim.nc.flush()));
  await until(async () => (await call(t.url, 'GET', `/api/device-groups/${group.id}`, { token: admin })).body, (view) => view.members.length === count);

  // The raw limit: the same clients woken by bare NATS messages, no HTTP, no database.
  const bareStart = performance.now();
  for (const sim of simulated) services.publish(sim.commands, JSON.stringify({ kind: 'sync' }));
  await until(async () => bareReceived, (received) => received === count);
  const bareFanOut = performance.now() - bareStart;

  phase = 'runs';
  const fanStart = performance.now();
  const { body: batch } = await call(t.url, 'POST', `/api/jobs/${job.id}/runs`, { token: admin, body: { groupId: group.id } });
  const accepted = performance.now() - fanStart;
  await until(
    async () => (await call(t.url, 'GET', `/api/runs?batchId=${batch.batchId}&status=succeeded&limit=500`, { token: admin })).body.items.length,
    (done) => done === count,
    300_000,
  );
  const fanOut = performance.now() - fanStart;

  const ended = loadavg();
  for (const sim of simulated) await sim.nc.close();
  await Promise.all([services.close(), requester.close()]);
  await t.close();
  await stopRunNats();
  rmSync(stateDir, { recursive: true, force: true });

  console.log(`\nbench:devices (${new Date().toISOString()}, load average ${started.map((v) => v.toFixed(2)).join(' ')} at start, ${ended.map((v) => v.toFixed(2)).join(' ')} at end)\n`);
  console.log('| | figure | raw limit in the same run |');
  console.log('|---|---|---|');
  console.log(`| run now → action starting on the agent (one device, ${dispatch.length} runs) | p50 ${ms(percentile(dispatch, 0.5))}, p99 ${ms(percentile(dispatch, 0.99))} | bare NATS request round trip: p50 ${ms(percentile(roundTrips, 0.5))}, p99 ${ms(percentile(roundTrips, 0.99))} |`);
  console.log(`| group run on ${count} simulated agents, until every result is recorded | ${(fanOut / 1000).toFixed(2)} s (${(count / (fanOut / 1000)).toFixed(0)} runs/s; run now answered in ${ms(accepted)}) | bare NATS wake-up of the same ${count} clients: ${ms(bareFanOut)} |`);
  console.log(`| agent idle RSS | ${(agentRss / 1024).toFixed(1)} MiB | an idle \`node -e setInterval\`: ${(nodeRss / 1024).toFixed(1)} MiB |`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
