import { connect, credsAuthenticator, type Msg, type NatsConnection, TimeoutError } from '@nats-io/transport-node';
import { randomBytes } from 'node:crypto';
import { copyFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type InstallationKeys, installationPaths, type InstallationPaths, issueUser } from '@taskinbox/nats-accounts';
import { type NatsServerProcess, startNatsServer, testNatsRoot } from './nats-server';
import { describeReview, reviewNatsLog, watchHandshakes } from './nats-server.log-review';

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
  return onceMoreAfterHandshakeTimeout(`test NATS connection ${options.name ?? 'test'}`, () =>
    connect({
      servers: url,
      name: options.name ?? 'test',
      authenticator: credsAuthenticator(new TextEncoder().encode(creds)),
      ...(options.inboxPrefix ? { inboxPrefix: options.inboxPrefix } : {}),
      maxReconnectAttempts: 0,
    }),
  );
}

/** nats.js gave up on a connection whose handshake the server had not finished within 20 s. */
function isHandshakeTimeout(error: unknown): boolean {
  return error instanceof TimeoutError || (error instanceof Error && error.name === 'TimeoutError' && /nats/.test(error.stack ?? ''));
}

/**
 * Tries `start` once more when a NATS handshake timed out, as an orchestrator restarts a service
 * whose first connect failed, and says so on stderr. Some CI runs saw the test server sit on
 * handshakes for 20 s; the run's end reviews the server's log and the handshake watch for why.
 */
export async function onceMoreAfterHandshakeTimeout<T>(what: string, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (error) {
    if (!isHandshakeTimeout(error)) throw error;
    process.stderr.write(`${what}: the NATS handshake timed out at ${new Date().toISOString()}; trying once more\n`);
    return start();
  }
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

const shared = globalThis as {
  taskinboxTestNats?: NatsServerProcess;
  taskinboxHandshakeWatch?: ReturnType<typeof watchHandshakes>;
};

/**
 * globalSetup: one server for the whole run (both Jest projects), announced to the workers.
 * `watchHandshakes: false` (a bench timing this process's own thread) leaves out the handshake
 * watch, whose signed handshakes every 2 s would be counted as the bench's work.
 */
export async function startRunNats({ watchHandshakes: watch = true }: { watchHandshakes?: boolean } = {}): Promise<void> {
  if (shared.taskinboxTestNats) return;
  const server = await startNatsServer({ label: 'run' });
  shared.taskinboxTestNats = server;
  process.env.TEST_NATS_URL = server.url;
  process.env.TEST_NATS_DIR = server.paths.dir;
  const creds = new TextEncoder().encode(readFileSync(server.paths.services, 'utf8'));
  shared.taskinboxHandshakeWatch = watch
    ? watchHandshakes(() =>
        connect({ servers: server.url, name: 'handshake-watch', authenticator: credsAuthenticator(creds), maxReconnectAttempts: 0 }),
      )
    : undefined;
}

/** globalTeardown. */
export async function stopRunNats(): Promise<void> {
  const server = shared.taskinboxTestNats;
  const watch = shared.taskinboxHandshakeWatch;
  watch?.stop();
  shared.taskinboxHandshakeWatch = undefined;
  await server?.stop();
  if (server) {
    // The last run's server log outlives the run: a stall or refusal can be read after it.
    const log = path.join(server.paths.dir, 'server.log');
    copyFileSync(log, `${testNatsRoot}-last-run.log`);
    const review = reviewNatsLog(readFileSync(log, 'utf8'));
    // Without the watch's handshake every 2 s, a quiet log is only an idle server, not a stall.
    if (!watch) review.silences = [];
    process.stderr.write(describeReview(review, watch?.notes));
  }
  await server?.remove();
  shared.taskinboxTestNats = undefined;
}
