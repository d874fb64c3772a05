import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

// PostgreSQL and Redis servers of a run's own, for runs that stop, crash or wipe them (chaos,
// soak): never the machine's 5432 or 6379. Each lives in a temp directory on a free port and
// keeps that port across restarts, so clients reconnect to the same address.

const postgresBin = process.env.POSTGRES_BIN ?? '/usr/lib/postgresql/15/bin';
const redisBin = process.env.REDIS_SERVER_BIN ?? 'redis-server';

/** A port nobody listens on now (the OS's pick). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Whether something takes TCP connections on 127.0.0.1:port. */
export function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.connect(port, '127.0.0.1', () => done(true));
  });
}

async function listening(child: ChildProcess, port: number, what: string, log: string): Promise<void> {
  let exited = false;
  child.once('exit', () => (exited = true));
  const deadline = Date.now() + 60_000;
  while (!(await accepts(port))) {
    if (exited) throw new Error(`${what} exited at start; see ${log}`);
    if (Date.now() > deadline) throw new Error(`${what} did not listen on ${port} within 60 s; see ${log}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function exitOf(child: ChildProcess | undefined, signal: NodeJS.Signals, killAfterMs = 20_000): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill(signal);
  });
}

/** PostgreSQL refuses to run as root: as root, its files and processes belong to the 'postgres' user. */
function postgresUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  return { uid, gid };
}

export interface OwnServer {
  port: number;
  /** The process id of the running server (undefined while stopped). */
  pid(): number | undefined;
  start(): Promise<void>;
  /** Stops the server ('fast': clean; 'crash': as if the machine lost power, for PostgreSQL SIGQUIT). */
  stop(how?: 'fast' | 'crash'): Promise<void>;
  /** Stops the server and deletes its files. */
  remove(): Promise<void>;
}

export interface OwnPostgres extends OwnServer {
  /** postgres://… of database `name` on this server. */
  url(name: string): string;
}

/** initdb into a temp directory, then `postgres` on a free port (trust auth, local only). */
export async function startOwnPostgres(options: { label?: string; maxConnections?: number } = {}): Promise<OwnPostgres> {
  const dir = mkdtempSync(path.join(tmpdir(), `taskinbox-${options.label ?? 'pg'}-`));
  const data = path.join(dir, 'data');
  const log = path.join(dir, 'postgres.log');
  const user = postgresUser();
  if (user) chownSync(dir, user.uid, user.gid);
  chmodSync(dir, 0o700);
  execFileSync(path.join(postgresBin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'], {
    stdio: 'ignore',
    ...user,
  });
  const port = await freePort();
  let child: ChildProcess | undefined;
  const server: OwnPostgres = {
    port,
    url: (name) => `postgres://postgres@127.0.0.1:${port}/${name}`,
    pid: () => (child && child.exitCode === null && child.signalCode === null ? child.pid : undefined),
    async start() {
      const out = openSync(log, 'a');
      if (user) chownSync(log, user.uid, user.gid);
      child = spawn(
        path.join(postgresBin, 'postgres'),
        ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', `max_connections=${options.maxConnections ?? 200}`,
          '-c', 'fsync=on', '-c', 'shared_buffers=64MB'],
        { stdio: ['ignore', out, out], ...user },
      );
      await listening(child, port, 'postgres', log);
      // It listens before it accepts queries (crash recovery); wait for that too.
      const deadline = Date.now() + 60_000;
      for (;;) {
        try {
          execFileSync(path.join(postgresBin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port), '-q']);
          return;
        } catch {
          if (Date.now() > deadline) throw new Error(`postgres on ${port} not ready within 60 s; see ${log}`);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    },
    // SIGINT is PostgreSQL's fast shutdown; SIGQUIT its immediate one (crash recovery at next start).
    stop: (how = 'fast') => exitOf(child, how === 'crash' ? 'SIGQUIT' : 'SIGINT'),
    async remove() {
      await exitOf(child, 'SIGINT');
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}

export interface OwnRedis extends OwnServer {
  url: string;
  /** `SHUTDOWN NOSAVE`: Redis exits and everything it held is gone (no persistence is configured). */
  shutdownNoSave(): Promise<void>;
}

/** redis-server on a free port, no persistence (RDB and AOF off). */
export async function startOwnRedis(options: { label?: string } = {}): Promise<OwnRedis> {
  const dir = mkdtempSync(path.join(tmpdir(), `taskinbox-${options.label ?? 'redis'}-`));
  const log = path.join(dir, 'redis.log');
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  let child: ChildProcess | undefined;
  const server: OwnRedis = {
    port,
    url: `redis://127.0.0.1:${port}`,
    pid: () => (child && child.exitCode === null && child.signalCode === null ? child.pid : undefined),
    async start() {
      const out = openSync(log, 'a');
      child = spawn(redisBin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], {
        stdio: ['ignore', out, out],
      });
      await listening(child, port, 'redis-server', log);
    },
    stop: (how = 'fast') => exitOf(child, how === 'crash' ? 'SIGKILL' : 'SIGTERM'),
    async shutdownNoSave() {
      const running = child;
      if (!running || running.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
      execFileSync('redis-cli', ['-p', String(port), 'SHUTDOWN', 'NOSAVE'], { stdio: 'ignore' });
      await exited;
    },
    async remove() {
      await exitOf(child, 'SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}
