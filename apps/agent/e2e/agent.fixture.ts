import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DevicesModule, type Clock } from '@taskinbox/devices';
import { IngestModule } from '@taskinbox/ingest';
import { call, startTestApp, type TestApp, type TestOrganisation } from '@taskinbox/testing';

// The real agent, bundled as it ships (dist/agent/taskinbox-agent.js), run as child processes
// against the real server, PostgreSQL and the run's authenticated nats-server.

const repository = path.resolve(__dirname, '../../..');
export const agentBundle = path.join(repository, 'dist/agent/taskinbox-agent.js');

/** Builds the bundle once per test file (esbuild: well under a second). */
export function buildAgent(): void {
  execFileSync(process.execPath, [path.join(repository, 'tools/build-agent.js')], { stdio: 'ignore' });
  if (!existsSync(agentBundle)) throw new Error('the agent bundle was not built');
}

/** A clock tests move by hand (the server's; agents get theirs through the environment). */
export class TestClock implements Clock {
  constructor(private at = new Date()) {}
  now(): Date {
    return new Date(this.at);
  }
  set(at: Date | string): void {
    this.at = new Date(at);
  }
}

export async function startDevicesApp(options: { clock?: Clock; env?: NodeJS.ProcessEnv } = {}): Promise<TestApp> {
  return startTestApp({
    imports: [IngestModule, DevicesModule.forRoot({ clock: options.clock })],
    env: { DEVICES_HEARTBEAT_SECONDS: '1', DEVICES_POLL_SECONDS: '2', ...options.env },
  });
}

export async function enrolmentToken(app: TestApp, org: TestOrganisation, groupIds: string[] = []): Promise<string> {
  const created = await call(app.url, 'POST', '/api/devices/enrolment-tokens', {
    token: org.tokens.admin,
    body: { name: 'test', groupIds },
  });
  if (created.status !== 201) throw new Error(`token: ${created.status} ${JSON.stringify(created.body)}`);
  return created.body.token;
}

export interface RunningAgent {
  deviceId: string;
  stateDir: string;
  lines: string[];
  /** Starts the daemon (again), with extra environment (a later fake time, say). */
  start(env?: NodeJS.ProcessEnv): void;
  /** SIGTERM and wait for the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL: a crash. */
  kill(): Promise<void>;
  exited(): Promise<number | null>;
  remove(): Promise<void>;
}

const running = new Set<RunningAgent>();

/** Enrols a new agent with a fresh state directory and starts it. */
export async function startAgent(
  app: TestApp,
  token: string,
  options: { name?: string; env?: NodeJS.ProcessEnv; start?: boolean; server?: string } = {},
): Promise<RunningAgent> {
  const stateDir = mkdtempSync(path.join(tmpdir(), 'taskinbox-agent-test-'));
  const env = {
    PATH: process.env.PATH,
    TASKINBOX_AGENT_STATE_DIR: stateDir,
    // Tests run as root: jobs run as nobody, as on a real device (never as the agent's root).
    TASKINBOX_AGENT_RUN_AS: 'nobody',
    TASKINBOX_AGENT_KILL_GRACE_MS: '500',
    TASKINBOX_AGENT_MAX_BACKOFF_MS: '500',
    ...options.env,
  };
  // Not execFileSync: the server answering the enrolment runs in this very process.
  const enrolled = await promisify(execFile)(
    process.execPath,
    [agentBundle, 'enrol', '--server', options.server ?? app.url, '--token', token, ...(options.name ? ['--name', options.name] : [])],
    { env, encoding: 'utf8' },
  ).catch((error: { stderr?: string; message: string }) => {
    throw new Error(error.stderr || error.message);
  });
  const { deviceId } = JSON.parse(enrolled.stdout) as { deviceId: string };
  let child: ChildProcess | undefined;
  let exit: Promise<number | null> = Promise.resolve(null);
  const lines: string[] = [];
  const agent: RunningAgent = {
    deviceId,
    stateDir,
    lines,
    start(extra = {}) {
      child = spawn(process.execPath, [agentBundle, 'run'], { env: { ...env, ...extra }, stdio: ['ignore', 'ignore', 'pipe'] });
      let buffered = '';
      child.stderr!.on('data', (chunk: Buffer) => {
        buffered += chunk.toString('utf8');
        const parts = buffered.split('\n');
        buffered = parts.pop()!;
        lines.push(...parts);
        if (process.env.TEST_AGENT_LOG) for (const line of parts) console.log(line);
      });
      const current = child;
      exit = new Promise((resolve) => current.once('exit', (code) => resolve(code)));
    },
    async stop() {
      child?.kill('SIGTERM');
      return exit;
    },
    async kill() {
      child?.kill('SIGKILL');
      await exit;
    },
    exited: () => exit,
    async remove() {
      await agent.kill();
      running.delete(agent);
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
  running.add(agent);
  if (options.start !== false) agent.start();
  return agent;
}

export async function removeAgents(): Promise<void> {
  await Promise.all([...running].map((agent) => agent.remove()));
}

/** Polls until `ok` holds for what `read` answers. */
export async function eventually<T>(
  what: string,
  read: () => Promise<T>,
  ok: (value: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await read();
    if (ok(last)) return last;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}; last: ${JSON.stringify(last)?.slice(0, 2000)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A job made over the API as the organisation's admin. */
export async function createJob(app: TestApp, org: TestOrganisation, body: Record<string, unknown>): Promise<{ id: string; version: number }> {
  const created = await call(app.url, 'POST', '/api/jobs', { token: org.tokens.admin, body });
  if (created.status !== 201) throw new Error(`job: ${created.status} ${JSON.stringify(created.body)}`);
  return created.body;
}

export async function runOf(app: TestApp, org: TestOrganisation, runId: string): Promise<any> {
  const { status, body } = await call(app.url, 'GET', `/api/runs/${runId}`, { token: org.tokens.viewer });
  return status === 200 ? body : { status: `http ${status}` };
}

export const finished = (run: any): boolean => ['succeeded', 'failed', 'missed', 'cancelled'].includes(run.status);

/** The runs of a job, newest first. */
export async function runsOfJob(app: TestApp, org: TestOrganisation, jobId: string): Promise<any[]> {
  const { body } = await call(app.url, 'GET', `/api/runs?jobId=${jobId}&limit=500`, { token: org.tokens.viewer });
  return body.items;
}

/** A TCP path to the server that a test can cut and restore: the server unreachable, as the agent sees it. */
export async function serverPath(target: string): Promise<{ url: string; cut(): void; restore(): void; close(): Promise<void> }> {
  const { createServer, connect } = await import('node:net');
  const { port: targetPort } = new URL(target);
  const sockets = new Set<import('node:net').Socket>();
  let open = true;
  const server = createServer((client) => {
    if (!open) return void client.destroy();
    const upstream = connect(Number(targetPort), '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => sockets.delete(socket));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    cut() {
      open = false;
      for (const socket of sockets) socket.destroy();
    },
    restore() {
      open = true;
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
