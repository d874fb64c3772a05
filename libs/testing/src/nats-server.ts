import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { initInstallation, type InstallationPaths } from '@taskinbox/nats-accounts';
import { accepts, freePort } from './own-servers';

const binary = process.env.NATS_SERVER_BIN ?? '/usr/sbin/nats-server';
const repository = path.resolve(__dirname, '../../..');
/** Every test run's servers live here, one directory each (keys, config, JetStream store, log). */
export const testNatsRoot = path.join(repository, '.taskinbox', 'test-nats');

/** A nats-server of its own, in operator mode with a freshly generated installation. */
export interface NatsServerProcess {
  url: string;
  port: number;
  paths: InstallationPaths;
  /** Stops the server (SIGTERM, then SIGKILL after 5 s); its files stay until `remove`. */
  stop(): Promise<void>;
  /** Stops and starts it again on the same port with the same store: a server restart. */
  restart(): Promise<void>;
  /** Stops it and deletes its directory. */
  remove(): Promise<void>;
}

/** Installs Debian's nats-server when the binary is missing (tools/nats.sh install). */
function ensureBinary(): void {
  if (existsSync(binary)) return;
  execFileSync('bash', [path.join(repository, 'tools/nats.sh'), 'install'], { stdio: 'inherit' });
}

/** Starts the server and waits until it takes connections; rejects if it exits first (port taken). */
async function launch(paths: InstallationPaths, port: number): Promise<ChildProcess> {
  const log = openSync(path.join(paths.dir, 'server.log'), 'a');
  const child = spawn(binary, ['-c', paths.serverConfig], { stdio: ['ignore', log, log] });
  writeFileSync(path.join(paths.dir, 'server.pid'), String(child.pid));
  let exited = false;
  child.once('exit', () => (exited = true));
  const deadline = Date.now() + 15_000;
  while (!(await accepts(port))) {
    if (exited) throw new Error(`nats-server exited at start; see ${path.join(paths.dir, 'server.log')}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`nats-server did not listen on ${port} within 15 s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return child;
}

function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const commandOf = (pid: number): string => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0];
  } catch {
    return '';
  }
};

/**
 * Servers whose test run died without stopping them: their owner process is gone. Each
 * directory names its owner, so concurrent runs from other checkouts are left alone.
 */
function removeOrphans(): void {
  if (!existsSync(testNatsRoot)) return;
  for (const entry of readdirSync(testNatsRoot)) {
    const dir = path.join(testNatsRoot, entry);
    const read = (file: string) => Number(readFileSync(path.join(dir, file), 'utf8').trim()) || 0;
    const owner = existsSync(path.join(dir, 'owner.pid')) ? read('owner.pid') : 0;
    if (owner && alive(owner)) continue;
    const server = existsSync(path.join(dir, 'server.pid')) ? read('server.pid') : 0;
    if (server && alive(server) && commandOf(server).endsWith('nats-server')) process.kill(server, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A nats-server with JetStream in operator mode (the accounts of libs/nats-accounts), in a new
 * directory under .taskinbox/test-nats, on a free port found now. Runs started concurrently never
 * share a server, port or store. Used by the test run (globalSetup), the benches, and tests that
 * need a server of their own (to restart it, for instance).
 */
export async function startNatsServer(options: { label?: string } = {}): Promise<NatsServerProcess> {
  ensureBinary();
  mkdirSync(testNatsRoot, { recursive: true });
  removeOrphans();
  const dir = path.join(testNatsRoot, `${options.label ?? 'nats'}-${process.pid}-${randomBytes(3).toString('hex')}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'owner.pid'), String(process.pid));
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    // Small stores: a test server holds little, and several run on this machine at once.
    const { paths } = await initInstallation(dir, {
      host: '127.0.0.1',
      port,
      serverName: `test-${port}`,
      maxMemory: '64M',
      maxFile: '1G',
    });
    // Timestamped debug lines (each connection's accept and authentication) say where a slow handshake sat.
    appendFileSync(paths.serverConfig, '\ndebug: true\nlogtime: true\n');
    // A client must send CONNECT within the auth timeout (2 s by default) after the server's INFO.
    // A Jest worker on a loaded 2-core machine sometimes took longer: the server closed the
    // connection ("Authentication Timeout") and nats.js sat out its own 20 s dial timeout.
    appendFileSync(paths.serverConfig, 'authorization {\n  timeout: 15\n}\n');
    try {
      let child = await launch(paths, port);
      const handle: NatsServerProcess = {
        url: `nats://127.0.0.1:${port}`,
        port,
        paths,
        stop: () => terminate(child),
        async restart() {
          await terminate(child);
          child = await launch(paths, port);
        },
        async remove() {
          await terminate(child);
          rmSync(dir, { recursive: true, force: true });
        },
      };
      return handle;
    } catch (error) {
      // Another process took the port between our check and the server's bind: try another.
      if (attempt >= 5) throw error;
    }
  }
}
