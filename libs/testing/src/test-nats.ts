import { connect, credsAuthenticator, type Msg, type NatsConnection } from '@nats-io/transport-node';
import { randomBytes } from 'node:crypto';
import { copyFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type InstallationKeys, installationPaths, type InstallationPaths, issueUser } from '@taskinbox/nats-accounts';
import { type NatsServerProcess, startNatsServer, testNatsRoot } from './nats-server';

/**
 * The test run's nats-server (started by globalSetup, stopped by globalTeardown): its URL and
 * files, passed to the test workers through the environment.
 */
export function testNats(): { url: string; paths: InstallationPaths } {
  const url = process.env.TEST_NATS_URL;
  const dir = process.env.TEST_NATS_DIR;
  if (!url || !dir)
    throw new Error('No test NATS server: run tests through jest.config.js (its globalSetup starts one).');
  return { url, paths: installationPaths(dir) };
}

/** What a taskinbox process of a test needs to reach the test server as taskinbox's services. */
export function testNatsEnv(): NodeJS.ProcessEnv {
  const { url, paths } = testNats();
  return { NATS_URL: url, NATS_CREDS: paths.services, NATS_ISSUER: paths.issuer };
}

/** Settings for connectNats as taskinbox's services (what NATS_URL and NATS_CREDS give a process). */
export function testNatsSettings(): { url: string; creds: string } {
  const { url, paths } = testNats();
  return { url, creds: readFileSync(paths.services, 'utf8') };
}

/** A subject prefix of one test file's own: its subjects and stream are nobody else's. */
export function testNatsPrefix(): string {
  return `test_${randomBytes(5).toString('hex')}`;
}

/** Connects to the test server with creds (taskinbox's services' by default). */
export function connectTestNats(
  options: { creds?: string; name?: string; inboxPrefix?: string } = {},
): Promise<NatsConnection> {
  const { url, paths } = testNats();
  const creds = options.creds ?? readFileSync(paths.services, 'utf8');
  return connect({
    servers: url,
    name: options.name ?? 'test',
    authenticator: credsAuthenticator(new TextEncoder().encode(creds)),
    ...(options.inboxPrefix ? { inboxPrefix: options.inboxPrefix } : {}),
    maxReconnectAttempts: 0,
  });
}

/** Creds of an outside service bound to `prefix`, as the operator's CLI issues them. */
export async function issueOutsideCreds(name: string, prefix: string): Promise<string> {
  const keys = JSON.parse(readFileSync(testNats().paths.keys, 'utf8')) as InstallationKeys;
  const { creds } = await issueUser({
    account: 'OUTSIDE',
    accountKey: keys.accounts.OUTSIDE.identity,
    name,
    scoped: { signingSeed: keys.accounts.OUTSIDE.signing.service, tags: { prefix } },
  });
  return creds;
}

/** Subscribes and answers the error the server gives the subscription (a permission violation), if any within 2 s. */
export function natsRefusal(nc: NatsConnection, subject: string, queue?: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), 2000);
    nc.subscribe(subject, {
      queue,
      callback: (error: Error | null, message: Msg) => {
        clearTimeout(timer);
        resolve(error ? error.message : `received ${message.subject}`);
      },
    });
  });
}

const shared = globalThis as { taskinboxTestNats?: NatsServerProcess };

/** globalSetup: one server for the whole run (both Jest projects), announced to the workers. */
export async function startRunNats(): Promise<void> {
  if (shared.taskinboxTestNats) return;
  const server = await startNatsServer({ label: 'run' });
  shared.taskinboxTestNats = server;
  process.env.TEST_NATS_URL = server.url;
  process.env.TEST_NATS_DIR = server.paths.dir;
}

/** globalTeardown. */
export async function stopRunNats(): Promise<void> {
  const server = shared.taskinboxTestNats;
  await server?.stop();
  // The last run's server log outlives the run: a stall or refusal can be read after it.
  if (server) copyFileSync(path.join(server.paths.dir, 'server.log'), path.join(testNatsRoot, 'last-run.log'));
  await server?.remove();
  shared.taskinboxTestNats = undefined;
}
