import 'reflect-metadata';
import autocannon from 'autocannon';
import { hash, verify } from '@node-rs/argon2';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Client } from 'pg';
import { AccountService, ApiKeyService } from '@taskinbox/auth';
import { loadConfig } from '@taskinbox/config';
import { joinByInvitation, openAccounts, startRunNats, stopRunNats, testNatsEnv } from '@taskinbox/testing';
import { dropBenchDatabases, freshBenchDatabase } from './bench.database';
import { startServer, stopServer } from './http-load';
import { type Percentiles, percentiles } from './projection.bench';

// npm run bench:auth — prints, from one run on this machine, each beside its raw limit:
//   1. sign-ins/s answered during a flood of wrong passwords from many addresses (hashing bounded
//      to PASSWORD_HASH_CONCURRENCY), beside raw argon2 verifies/s with libuv's whole pool
//   2. a cheap request's latency (GET /api/auth/me with an API key) during that flood, beside
//      the same during an equal flood that needs no hash, and with no flood: what "a flood of
//      sign-ins cannot starve the process" means in ms
//   3. a demotion made on one process, seen by a second one: p50/p99, beside a raw NOTIFY round trip

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const dist = join(__dirname, '..', '..');
const ms = (value: number) => `${value.toFixed(1)} ms`;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Raw limit: argon2id verifies per second with four at once (libuv's default pool). */
async function rawVerifies(): Promise<number> {
  const stored = await hash('a password nobody guesses');
  let done = 0;
  const until = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (performance.now() < until) {
        await verify(stored, 'wrong');
        done++;
      }
    }),
  );
  return done / seconds;
}

/** Latency of GET /api/auth/me with an API key at a steady 20 requests/s. */
async function cheapRequests(url: string, key: string): Promise<{ p50: number; p99: number; count: number }> {
  const result = await autocannon({
    url: `${url}/api/auth/me`,
    connections: 2,
    overallRate: 20,
    duration: seconds,
    headers: { authorization: `Bearer ${key}` },
  });
  return { p50: result.latency.p50, p99: result.latency.p99, count: result.requests.total };
}

/** Wrong passwords for ever-new e-mails from ever-new addresses, so throttling does not stop them: each costs a hash. */
async function signInFlood(url: string) {
  let n = 0;
  const result = await autocannon({
    url: `${url}/api/auth/login`,
    method: 'POST',
    connections: 64,
    duration: seconds,
    headers: { 'content-type': 'application/json' },
    requests: [
      {
        setupRequest: (request) => {
          n++;
          return {
            ...request,
            headers: { ...request.headers, 'x-forwarded-for': `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}` },
            body: JSON.stringify({ email: `guess-${n}@example.test`, password: `guess ${n}` }),
          };
        },
      },
    ],
  });
  const codes = result.statusCodeStats as unknown as Record<string, { count: number }>;
  return {
    answered401PerSecond: (codes['401']?.count ?? 0) / seconds,
    busy503: codes['503']?.count ?? 0,
    other: Object.entries(codes).filter(([code]) => code !== '401' && code !== '503'),
  };
}

/** The same flood of requests, answered 401 without any hash: what the flood costs by itself. */
async function plainFlood(url: string): Promise<number> {
  const result = await autocannon({
    url: `${url}/api/auth/me`,
    connections: 64,
    duration: seconds,
    headers: { authorization: 'Bearer not-a-token' },
  });
  return result.requests.average;
}

/** A role change on the first process, and how long until the second refuses the demoted admin. */
async function demotionSeen(first: string, second: string, adminToken: string, demoted: { id: string; token: string }, rounds: number) {
  const samples: number[] = [];
  const patch = (role: string) =>
    fetch(`${first}/api/users/${demoted.id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ role }),
    });
  const keysOnSecond = () => fetch(`${second}/api/api-keys`, { headers: { authorization: `Bearer ${demoted.token}` } }).then((r) => r.status);
  for (let i = 0; i < rounds; i++) {
    await patch('admin');
    while ((await keysOnSecond()) !== 200) await new Promise((resolve) => setTimeout(resolve, 5));
    const started = performance.now();
    if ((await patch('member')).status !== 204) throw new Error('demotion failed');
    while ((await keysOnSecond()) !== 403) await new Promise((resolve) => setImmediate(resolve));
    samples.push(performance.now() - started);
  }
  return percentiles(samples);
}

/** Raw limit: NOTIFY on one connection to its arrival on a LISTENing other. */
async function notifyRoundTrip(url: string, rounds: number): Promise<Percentiles> {
  const listener = new Client({ connectionString: url });
  const sender = new Client({ connectionString: url });
  await Promise.all([listener.connect(), sender.connect()]);
  await listener.query('LISTEN bench_auth_ping');
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const arrived = new Promise<void>((resolve) => listener.once('notification', () => resolve()));
    const started = performance.now();
    await sender.query("SELECT pg_notify('bench_auth_ping', 'x')");
    await arrived;
    samples.push(performance.now() - started);
  }
  await Promise.all([listener.end(), sender.end()]);
  return percentiles(samples);
}

async function main(): Promise<void> {
  console.log(`bench:auth — ${seconds}s per measurement, ${new Date().toISOString()}`);
  const url = await freshBenchDatabase('taskinbox_bench_auth');
  const config = loadConfig({ JWT_SECRET: randomBytes(32).toString('hex'), DATABASE_URL: url });
  const accounts = await openAccounts(config);
  const org = await accounts.get(AccountService).createOrganisation('bench', 'Bench');
  const admin = await joinByInvitation(accounts, org.id, { email: 'admin@bench.test', name: 'Admin', password: 'bench admin password', role: 'admin' });
  const demoted = await joinByInvitation(accounts, org.id, { email: 'demoted@bench.test', name: 'Demoted', password: 'bench other password', role: 'admin' });
  const { key } = await accounts.get(ApiKeyService).issue(org.id, 'bench', ['tasks:read'], null);
  await accounts.close();

  const env = {
    DATABASE_URL: url,
    JWT_SECRET: config.jwtSecret,
    WEBHOOK_SECRET_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'warn',
    HTTP_HOST: '127.0.0.1',
    TRUST_PROXY: '127.0.0.1',
    ...testNatsEnv(),
  };
  const [port1, port2] = [await freePort(), await freePort()];
  const first = `http://127.0.0.1:${port1}`;
  const second = `http://127.0.0.1:${port2}`;
  const app1 = await startServer(join(dist, 'apps/taskinbox/src/main.js'), env, port1);
  const app2 = await startServer(join(dist, 'apps/query/src/main.js'), env, port2);
  try {
    const raw = await rawVerifies();
    const quiet = await cheapRequests(first, key);
    const [flood, loaded] = await Promise.all([signInFlood(first), cheapRequests(first, key)]);
    const [plainPerSecond, plainLoaded] = await Promise.all([plainFlood(first), cheapRequests(first, key)]);
    console.log(`\nSign-in flood: 64 connections of wrong passwords, each from a new address for a new e-mail (PASSWORD_HASH_CONCURRENCY=${config.auth.passwordHashConcurrency})`);
    console.log(`  sign-ins answered (401)                 ${flood.answered401PerSecond.toFixed(0)}/s, ${flood.busy503} refused at once with 503 sign_in_busy`);
    if (flood.other.length) console.log(`  other answers                           ${JSON.stringify(flood.other)}`);
    console.log(`  raw: argon2id verifies, 4 at once       ${raw.toFixed(0)}/s`);
    console.log(`\nGET /api/auth/me (API key) at 20/s`);
    console.log(`  during the sign-in flood                p50 ${ms(loaded.p50)}  p99 ${ms(loaded.p99)}  (${loaded.count} requests)`);
    console.log(`  raw: during an equal flood of 401s that need no hash (${plainPerSecond.toFixed(0)}/s)`);
    console.log(`                                          p50 ${ms(plainLoaded.p50)}  p99 ${ms(plainLoaded.p99)}  (${plainLoaded.count} requests)`);
    console.log(`  raw: with no flood                      p50 ${ms(quiet.p50)}  p99 ${ms(quiet.p99)}  (${quiet.count} requests)`);

    const rounds = 50;
    const seen = await demotionSeen(first, second, admin.token, demoted, rounds);
    const notify = await notifyRoundTrip(url, rounds);
    console.log(`\nDemotion on the one-process app, refused by a query service (AUTH_CACHE_MS=${config.auth.cacheMs}), ${rounds} rounds`);
    console.log(`  PATCH answered → second process says 403  p50 ${ms(seen.p50Ms)}  p99 ${ms(seen.p99Ms)}  max ${ms(seen.maxMs)}`);
    console.log(`  raw: NOTIFY round trip                    p50 ${ms(notify.p50Ms)}  p99 ${ms(notify.p99Ms)}`);
  } finally {
    await Promise.all([stopServer(app1), stopServer(app2)]);
  }
}

startRunNats()
  .then(main)
  .finally(() => Promise.all([dropBenchDatabases(), stopRunNats()]))
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
