import 'reflect-metadata';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AccountService, ApiKeyService } from '@taskinbox/auth';
import { loadConfig } from '@taskinbox/config';
import { PostgresEventStore } from '@taskinbox/event-store';
import { openAccounts, startRunNats, stopRunNats } from '@taskinbox/testing';
import { Pool } from 'pg';
import { type BenchResult, emmettAppends, rawInserts, storeAppends } from './event-store.bench';
import { dropBenchDatabases, freshBenchDatabase } from './bench.database';
import { printCpuProfile } from './cpu-profile.summary';
import { benchAppEnv, type HttpFigures, load, processCpuMs, profileCpu, startServer, stopServer } from './http-load';

type CreateFigures = HttpFigures & {
  cpuMsPerRequest?: number;
  /** Milliseconds after the measured load until each follower of the log had reached the log's head. */
  followersCaughtUp?: Map<string, number | undefined>;
};

// npm run bench:ingest — prints, from one run on this machine:
//   1. the raw limit: plain INSERTs/s into a table shaped like es_events (1 event per transaction, 16 clients)
//   2. appends/s through our PostgreSQL event store under the same load
//   3. the same load through @event-driven-io/emmett-postgresql, a peer store
//   4. HTTP task creates/s at 50 connections with p50/p99, through the ingest service alone (the
//      split deployment) and through the one-process app, each beside the store's append rate
//      and a bare Nest/Fastify echo
//   5. where each server's CPU goes, by module, sampled over a second load like the measured one
//   6. how long after that load each follower of the log in the one-process app took to reach the
//      log's head: a follower that fell behind does its work late (routing, notifications)

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const dist = join(__dirname, '..', '..');
const body = JSON.stringify({ type: 'refund.approval', title: 'Refund order 1042', payload: { orderId: 1042, amount: 25 }, tags: ['refund'] });

/** A fresh database with an organisation and a tasks:write API key, and the env a server needs for it. */
async function httpDatabase(name: string): Promise<{ env: NodeJS.ProcessEnv; key: string; url: string }> {
  const url = await freshBenchDatabase(name);
  const config = loadConfig({ JWT_SECRET: 'b'.repeat(32), DATABASE_URL: url });
  const accounts = await openAccounts(config);
  const org = await accounts.get(AccountService).createOrganisation('bench', 'Bench');
  const { key } = await accounts.get(ApiKeyService).issue(org.id, 'bench', ['tasks:write'], null);
  await accounts.close();
  return { env: benchAppEnv(url, config.jwtSecret), key, url };
}

/** Polls every checkpoint until it reaches the log's last position as it stood when called (at most 60 s). */
async function followersCaughtUp(url: string): Promise<Map<string, number | undefined>> {
  const pool = new Pool({ connectionString: url, max: 1 });
  try {
    const started = performance.now();
    const head = (await new PostgresEventStore({ pool }).lastPosition()) ?? '';
    const reached = new Map<string, number | undefined>();
    for (;;) {
      const checkpoints = await pool.query<{ name: string; position: string | null }>('SELECT name, position FROM projection_checkpoints ORDER BY name');
      for (const { name, position } of checkpoints.rows) {
        if (reached.get(name) === undefined) reached.set(name, position !== null && position >= head ? Math.round(performance.now() - started) : undefined);
      }
      if ([...reached.values()].every((ms) => ms !== undefined) || performance.now() - started > 60_000) return reached;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    await pool.end();
  }
}

/**
 * Task creates through a built server script; with `followers`, how long its followers of the log
 * then take to catch up; with `profileFile`, its CPU is then sampled over a second load of the same
 * length. The figures come from the first load: the sampling profiler costs the server CPU.
 */
async function httpCreates(
  label: string,
  script: string,
  database: string,
  port: number,
  { profileFile, followers = false }: { profileFile?: string; followers?: boolean } = {},
): Promise<CreateFigures> {
  const { env, key, url } = await httpDatabase(database);
  const server = await startServer(join(dist, script), env, port, { profiled: profileFile !== undefined });
  try {
    const options = { connections: 50, headers: { authorization: `Bearer ${key}` }, body, url: `http://127.0.0.1:${port}/api/tasks` };
    await load('warm-up', { ...options, seconds: 3 });
    const figures = await loadWithCpu(server, label, { ...options, seconds });
    const caughtUp = followers ? { followersCaughtUp: await followersCaughtUp(url) } : {};
    if (profileFile) await profileCpu(server, profileFile, () => load('profiled', { ...options, seconds }));
    return { ...figures, ...caughtUp };
  } finally {
    await stopServer(server);
  }
}

/** `load` with the server's CPU time per request over it. */
async function loadWithCpu(server: ChildProcess, label: string, options: Parameters<typeof load>[1]): Promise<CreateFigures> {
  const before = processCpuMs(server.pid);
  const figures = await load(label, options);
  const after = processCpuMs(server.pid);
  return { ...figures, cpuMsPerRequest: before === undefined || after === undefined ? undefined : (after - before) / figures.count };
}

async function echo(): Promise<CreateFigures> {
  const server = await startServer(join(dist, 'tools/bench/echo-server.js'), {}, 3902);
  try {
    const options = { connections: 50, headers: {}, body, url: 'http://127.0.0.1:3902/echo' };
    await load('warm-up', { ...options, seconds: 3 });
    return await loadWithCpu(server, 'bare Nest/Fastify echo (50 connections)', { ...options, seconds });
  } finally {
    await stopServer(server);
  }
}

/** Rounds of one measurement as one: all their completions over all their time. */
function combined(rounds: BenchResult[]): BenchResult {
  const count = rounds.reduce((sum, round) => sum + round.count, 0);
  const time = rounds.reduce((sum, round) => sum + round.seconds, 0);
  return { label: rounds[0].label, count, seconds: Number(time.toFixed(2)), perSecond: Math.round(count / time) };
}

async function main(): Promise<void> {
  console.log(`bench:ingest — ${seconds}s per measurement, ${new Date().toISOString()}`);
  const storeUrl = await freshBenchDatabase('taskinbox_bench_store');
  const emmettUrl = await freshBenchDatabase('taskinbox_bench_emmett');
  // In turns, a few times over: the machine's load moves within a run, and each figure should
  // see the same share of it as the limit it is compared with.
  const rounds = 3;
  const turns = { clients: 16, seconds: seconds / rounds };
  const results: BenchResult[][] = [];
  for (let round = 0; round < rounds; round++) {
    results.push([await rawInserts(storeUrl, turns), await storeAppends(storeUrl, turns), await emmettAppends(emmettUrl, turns)]);
  }
  const [raw, ours, peer] = results[0].map((first, index) => combined(results.map((round) => round[index])));

  console.log(`\nEvent store, 1 event per transaction, 16 clients, ${rounds} rounds in turns (target: ours at 85% of raw or more)`);
  for (const figure of [raw, ours, peer]) {
    const share = ((figure.perSecond / raw.perSecond) * 100).toFixed(0);
    console.log(`  ${figure.label.padEnd(58)} ${String(Math.round(figure.perSecond)).padStart(7)}/s  ${share.padStart(4)}% of raw`);
  }

  const profileDir = mkdtempSync(join(tmpdir(), 'bench-ingest-'));
  const ingest = await httpCreates('ingest service alone, POST /api/tasks', 'apps/ingest/src/main.js', 'taskinbox_bench_ingest', 3903, {
    profileFile: join(profileDir, 'ingest.cpuprofile'),
  });
  const oneProcess = await httpCreates('one-process app, POST /api/tasks', 'apps/taskinbox/src/main.js', 'taskinbox_bench_http', 3901, {
    profileFile: join(profileDir, 'taskinbox.cpuprofile'),
    followers: true,
  });
  const ceiling = await echo();
  console.log('\nHTTP, autocannon, 50 connections (targets: ingest alone 70% of store appends and p99 <= 25 ms; one process 50%)');
  for (const figure of [ingest, oneProcess, ceiling]) {
    const share = ((figure.perSecond / ours.perSecond) * 100).toFixed(0);
    // The server's own CPU per request (the profiler's sampling included), PostgreSQL's not.
    const cpu = figure.cpuMsPerRequest === undefined ? '' : `  server CPU ${figure.cpuMsPerRequest.toFixed(2)} ms/request`;
    console.log(
      `  ${figure.label.padEnd(40)} ${String(figure.perSecond).padStart(7)}/s ${share.padStart(4)}% of store appends  p50 ${figure.p50Ms} ms  p99 ${figure.p99Ms} ms  non-2xx ${figure.non2xx}  errors ${figure.errors}${cpu}`,
    );
  }
  const caughtUp = oneProcess.followersCaughtUp ?? new Map<string, number | undefined>();
  console.log("\nFollowers of the log in the one-process app: ms after its measured load until each reached the log's head (the read models' is the limit)");
  for (const [name, ms] of caughtUp) console.log(`  ${name.padEnd(40)} ${ms === undefined ? 'not within 60 s' : `${ms} ms`}`);
  printCpuProfile('One-process app during a second load like the measured one', join(profileDir, 'taskinbox.cpuprofile'));
  printCpuProfile('Ingest service alone during a second load like the measured one', join(profileDir, 'ingest.cpuprofile'));
  console.log(`  (profiles: ${profileDir}; open them in Chrome DevTools or speedscope)`);
}

// The app needs its NATS: a server of the bench's own, like a test run's.
startRunNats()
  .then(main)
  .finally(() => Promise.all([dropBenchDatabases(), stopRunNats()]))
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
