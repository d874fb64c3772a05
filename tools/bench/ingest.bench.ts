import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { AccountService, ApiKeyService } from '@taskinbox/auth';
import { loadConfig } from '@taskinbox/config';
import { openAccounts, startRunNats, stopRunNats, testNatsEnv } from '@taskinbox/testing';
import { emmettAppends, rawInserts, storeAppends } from './event-store.bench';
import { dropBenchDatabases, freshBenchDatabase } from './bench.database';
import { type HttpFigures, load, startServer, stopServer } from './http-load';

// npm run bench:ingest — prints, from one run on this machine:
//   1. the raw limit: plain INSERTs/s into a table shaped like es_events (1 event per transaction, 16 clients)
//   2. appends/s through our PostgreSQL event store under the same load
//   3. the same load through @event-driven-io/emmett-postgresql, a peer store
//   4. HTTP task creates/s at 50 connections with p50/p99, beside a bare Nest/Fastify echo

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const dist = join(__dirname, '..', '..');

async function httpCreates(url: string): Promise<HttpFigures[]> {
  const config = loadConfig({ JWT_SECRET: 'b'.repeat(32), DATABASE_URL: url });
  const accounts = await openAccounts(config);
  const org = await accounts.get(AccountService).createOrganisation('bench', 'Bench');
  const { key } = await accounts.get(ApiKeyService).issue(org.id, 'bench', ['tasks:write'], null);
  await accounts.close();

  const body = JSON.stringify({ type: 'refund.approval', title: 'Refund order 1042', payload: { orderId: 1042, amount: 25 }, tags: ['refund'] });
  const env = {
    ...testNatsEnv(),
    DATABASE_URL: url,
    JWT_SECRET: config.jwtSecret,
    WEBHOOK_SECRET_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'warn',
    HTTP_HOST: '127.0.0.1',
  };

  const app = await startServer(join(dist, 'apps/taskinbox/src/main.js'), env, 3901);
  const options = { connections: 50, headers: { authorization: `Bearer ${key}` }, body };
  await load('warm-up', { ...options, url: 'http://127.0.0.1:3901/api/tasks', seconds: 3 });
  const creates = await load('HTTP POST /api/tasks (50 connections)', { ...options, url: 'http://127.0.0.1:3901/api/tasks', seconds });
  await stopServer(app);

  const echo = await startServer(join(dist, 'tools/bench/echo-server.js'), {}, 3902);
  await load('warm-up', { ...options, url: 'http://127.0.0.1:3902/echo', seconds: 3 });
  const ceiling = await load('bare Nest/Fastify echo (50 connections)', { ...options, url: 'http://127.0.0.1:3902/echo', seconds });
  await stopServer(echo);
  return [creates, ceiling];
}

async function main(): Promise<void> {
  console.log(`bench:ingest — ${seconds}s per measurement, ${new Date().toISOString()}`);
  const storeUrl = await freshBenchDatabase('taskinbox_bench_store');
  const raw = await rawInserts(storeUrl, { clients: 16, seconds });
  const ours = await storeAppends(storeUrl, { clients: 16, seconds });
  const emmettUrl = await freshBenchDatabase('taskinbox_bench_emmett');
  const peer = await emmettAppends(emmettUrl, { clients: 16, seconds });

  console.log('\nEvent store, 1 event per transaction, 16 clients');
  for (const figure of [raw, ours, peer]) {
    const share = ((figure.perSecond / raw.perSecond) * 100).toFixed(0);
    console.log(`  ${figure.label.padEnd(58)} ${String(Math.round(figure.perSecond)).padStart(7)}/s  ${share.padStart(4)}% of raw`);
  }

  const httpUrl = await freshBenchDatabase('taskinbox_bench_http');
  const [creates, ceiling] = await httpCreates(httpUrl);
  console.log('\nHTTP, autocannon, 50 connections');
  for (const figure of [creates, ceiling]) {
    console.log(
      `  ${figure.label.padEnd(44)} ${String(figure.perSecond).padStart(7)}/s  p50 ${figure.p50Ms} ms  p99 ${figure.p99Ms} ms  non-2xx ${figure.non2xx}  errors ${figure.errors}`,
    );
  }
}

// The app needs its NATS: a server of the bench's own, like a test run's.
startRunNats()
  .then(main)
  .finally(() => Promise.all([dropBenchDatabases(), stopRunNats()]))
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
