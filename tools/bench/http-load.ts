import autocannon from 'autocannon';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { testNatsEnv } from '@taskinbox/testing';
import { statCpuMs } from './machine.census';

export interface HttpFigures {
  label: string;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
  /** Requests completed, 2xx or not. */
  count: number;
}

/** The environment a built taskinbox server needs on a bench database: this run's NATS, fresh webhook secrets, warnings only. */
export function benchAppEnv(databaseUrl: string, jwtSecret: string | undefined): NodeJS.ProcessEnv {
  return {
    ...testNatsEnv(),
    DATABASE_URL: databaseUrl,
    JWT_SECRET: jwtSecret,
    WEBHOOK_SECRET_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'warn',
    HTTP_HOST: '127.0.0.1',
  };
}

/**
 * Runs a built script as a child process and waits until it answers on `port`. With `profiled`,
 * the child can be CPU-profiled on demand (profileCpu).
 */
export async function startServer(script: string, env: NodeJS.ProcessEnv, port: number, options: { profiled?: boolean } = {}): Promise<ChildProcess> {
  const preload = options.profiled ? ['--require', join(__dirname, 'cpu.profiler.js')] : [];
  const child = spawn(process.execPath, [...preload, script], {
    env: { ...process.env, ...env, HTTP_PORT: String(port) },
    stdio: ['ignore', 'inherit', 'inherit', ...(options.profiled ? (['ipc'] as const) : [])],
  });
  // A minute: the one-process app migrates and starts every module, slowly on a loaded machine.
  for (let i = 0; i < 600; i++) {
    try {
      await fetch(`http://127.0.0.1:${port}/`);
      return child;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  child.kill();
  throw new Error(`${script} did not start on port ${port}`);
}

/** Samples a server started with `profiled` while `during` runs; the profile is written to `file`. */
export async function profileCpu<T>(child: ChildProcess, file: string, during: () => Promise<T>): Promise<T> {
  await ask(child, { type: 'cpu-profile:start' }, 'cpu-profile:started');
  const result = await during();
  await ask(child, { type: 'cpu-profile:stop', file }, 'cpu-profile:written');
  return result;
}

function ask(child: ChildProcess, message: object, answer: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onMessage = (reply: { type?: string }): void => {
      if (reply?.type !== answer) return;
      child.off('message', onMessage);
      resolve();
    };
    child.on('message', onMessage);
    child.send(message, (error) => error && reject(error));
  });
}

export async function stopServer(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** autocannon with a fixed number of connections; latency percentiles from its histogram. */
export async function load(
  label: string,
  options: { url: string; connections: number; seconds: number; headers: Record<string, string>; body: string },
): Promise<HttpFigures> {
  const result = await autocannon({
    url: options.url,
    method: 'POST',
    connections: options.connections,
    duration: options.seconds,
    headers: { 'content-type': 'application/json', ...options.headers },
    body: options.body,
  });
  return {
    label,
    perSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    count: result.requests.total,
  };
}

/**
 * CPU time (user + system) a process has used so far, from /proc (Linux; undefined elsewhere).
 * Per request it depends far less on the machine's other load than requests per second do.
 */
export function processCpuMs(pid: number | undefined): number | undefined {
  return statCpuMs(`/proc/${pid}/stat`);
}
