import { readdirSync, readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import { Client } from 'pg';

// Where a burst's CPU went, by process, and what PostgreSQL and Redis did for it: a burst bound
// by the whole machine's CPU is not moved by cutting one process's share, so each is counted.
// Linux only (reads /proc); elsewhere the CPU figures are absent.

const tickMs = 10;

/** utime + stime in ms from a /proc `stat` file (a process's or a thread's), or undefined where there is none. */
export function statCpuMs(path: string): number | undefined {
  try {
    // Fields after the command name, which is in parentheses and may contain spaces.
    const fields = readFileSync(path, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * tickMs;
  } catch {
    return undefined;
  }
}

/** CPU in ms of every process whose command is `comm`, by pid (ended processes are not counted). */
function cpuByPid(comms: readonly string[]): Map<number, { comm: string; ms: number; title: string }> {
  const found = new Map<number, { comm: string; ms: number; title: string }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      if (!comms.includes(comm)) continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // A PostgreSQL process's title says what it is (a backend, the WAL writer, autovacuum).
      const title = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ').replace(/\d+\.\d+\.\d+\.\d+\(\d+\).*/, '').trim();
      found.set(Number(entry), { comm, ms: (Number(fields[11]) + Number(fields[12])) * tickMs, title });
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/** Busy and total ms of the whole machine (all CPUs, every process, other users' too). */
function machineMs(): { busy: number; total: number } {
  const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  const total = ticks.slice(0, 8).reduce((sum, tick) => sum + tick, 0);
  const idle = ticks[3] + ticks[4];
  return { busy: (total - idle) * tickMs, total: total * tickMs };
}

export interface Census {
  processes: Map<number, { comm: string; ms: number; title: string }>;
  self: number;
  mainThread: number;
  machine: { busy: number; total: number };
  database: Record<string, number>;
  tables: Map<string, Record<string, number>>;
  wal: { lsn: string; records: number; fpi: number; bytes: number };
  redis: Map<string, { calls: number; usec: number }>;
}

async function databaseFigures(client: Client): Promise<Pick<Census, 'database' | 'tables' | 'wal'>> {
  // Statistics reach these views when a backend goes idle, at most once a second: the caller waits first.
  await client.query('SELECT pg_stat_clear_snapshot()');
  const { rows: [database] } = await client.query<Record<string, string>>(
    `SELECT xact_commit, xact_rollback, tup_inserted, tup_updated, tup_deleted, tup_fetched, blks_hit, blks_read
     FROM pg_stat_database WHERE datname = current_database()`,
  );
  const { rows: tables } = await client.query<Record<string, string>>(
    `SELECT relname, n_tup_ins, n_tup_upd, n_tup_hot_upd, n_tup_del, coalesce(idx_scan, 0) AS idx_scan, seq_scan, seq_tup_read, coalesce(idx_tup_fetch, 0) AS idx_tup_fetch
     FROM pg_stat_user_tables WHERE relname LIKE 'webhook%'`,
  );
  const { rows: [wal] } = await client.query<{ lsn: string; wal_records: string; wal_fpi: string; wal_bytes: string }>(
    'SELECT pg_current_wal_lsn()::text AS lsn, wal_records, wal_fpi, wal_bytes FROM pg_stat_wal',
  );
  const numbers = (row: Record<string, string>) => Object.fromEntries(Object.entries(row).filter(([key]) => key !== 'relname').map(([key, value]) => [key, Number(value)]));
  return {
    database: numbers(database),
    tables: new Map(tables.map((row) => [row.relname, numbers(row)])),
    wal: { lsn: wal.lsn, records: Number(wal.wal_records), fpi: Number(wal.wal_fpi), bytes: Number(wal.wal_bytes) },
  };
}

async function redisFigures(redis: Redis): Promise<Census['redis']> {
  const info = await redis.info('commandstats');
  const found = new Map<string, { calls: number; usec: number }>();
  for (const line of info.split('\n')) {
    const match = /^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/.exec(line.trim());
    if (match) found.set(match[1], { calls: Number(match[2]), usec: Number(match[3]) });
  }
  return found;
}

export async function takeCensus(databaseUrl: string, redis: Redis): Promise<Census> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const [figures, commands] = await Promise.all([databaseFigures(client), redisFigures(redis)]);
    return {
      processes: cpuByPid(['postgres', 'redis-server', 'nats-server']),
      self: statCpuMs('/proc/self/stat') ?? 0,
      mainThread: statCpuMs(`/proc/self/task/${process.pid}/stat`) ?? 0,
      machine: machineMs(),
      ...figures,
      redis: commands,
    };
  } finally {
    await client.end();
  }
}

const lsnBytes = (lsn: string) => {
  const [high, low] = lsn.split('/');
  return parseInt(high, 16) * 2 ** 32 + parseInt(low, 16);
};

/**
 * Prints, per delivery (`count` of them between the two censuses): CPU by process, what
 * PostgreSQL did (transactions, rows, WAL) and Redis's commands. `loadThreadMs` is the load
 * thread's own CPU (publisher and receiver), reported by that thread.
 */
export function printCensus(before: Census, after: Census, count: number, loadThreadMs: number, statements: Map<string, number>): void {
  const per = (value: number, digits = 3) => (value / count).toFixed(digits);
  const processCpu = (comm: string) => {
    let ms = 0;
    for (const [pid, now] of after.processes) {
      if (now.comm === comm) ms += now.ms - (before.processes.get(pid)?.ms ?? 0);
    }
    return ms;
  };
  const postgres = processCpu('postgres');
  const postgresByTitle: Record<string, { 'cpu ms': string; processes: number }> = {};
  const titles = new Map<string, { ms: number; processes: number }>();
  for (const [pid, now] of after.processes) {
    if (now.comm !== 'postgres') continue;
    const ms = now.ms - (before.processes.get(pid)?.ms ?? 0);
    if (ms === 0) continue;
    const sum = titles.get(now.title) ?? { ms: 0, processes: 0 };
    titles.set(now.title, { ms: sum.ms + ms, processes: sum.processes + 1 });
  }
  for (const [title, { ms, processes }] of titles) postgresByTitle[title] = { 'cpu ms': per(ms), processes };
  const redis = processCpu('redis-server');
  const nats = processCpu('nats-server');
  const self = after.self - before.self;
  const main = after.mainThread - before.mainThread;
  const busy = after.machine.busy - before.machine.busy;
  const counted = postgres + redis + nats + self;
  console.log(`Per delivery over ${count} (CPU in ms; wall ${((after.machine.total - before.machine.total) / 2 / 1000).toFixed(1)} s of 2 CPUs):`);
  console.table({
    postgres: { 'cpu ms': per(postgres) },
    'redis-server': { 'cpu ms': per(redis) },
    'nats-server': { 'cpu ms': per(nats) },
    'bench: module (main thread)': { 'cpu ms': per(main) },
    'bench: load thread (publisher + receiver)': { 'cpu ms': per(loadThreadMs) },
    'bench: other threads (GC, libuv)': { 'cpu ms': per(self - main - loadThreadMs) },
    'sum of the above': { 'cpu ms': per(counted) },
    'machine busy (every process)': { 'cpu ms': per(busy) },
  });
  console.table(postgresByTitle);
  const database: Record<string, string> = {};
  for (const [key, value] of Object.entries(after.database)) database[key] = per(value - before.database[key], 2);
  database['statements sent (module)'] = per([...statements.values()].reduce((sum, n) => sum + n, 0), 3);
  database['WAL bytes (lsn)'] = per(lsnBytes(after.wal.lsn) - lsnBytes(before.wal.lsn), 0);
  database['WAL records'] = per(after.wal.records - before.wal.records, 2);
  database['WAL full-page images'] = per(after.wal.fpi - before.wal.fpi, 2);
  console.table(database);
  const tables: Record<string, Record<string, string>> = {};
  for (const [name, now] of after.tables) {
    const then = before.tables.get(name);
    tables[name] = Object.fromEntries(Object.entries(now).map(([key, value]) => [key, per(value - (then?.[key] ?? 0), 2)]));
  }
  console.table(tables);
  console.table(Object.fromEntries([...statements].map(([text, n]) => [text, { 'per delivery': per(n, 4), 'deliveries per statement': (count / n).toFixed(1) }])));
  const commands: Record<string, { calls: string; 'usec (server)': string }> = {};
  for (const [name, now] of after.redis) {
    const then = before.redis.get(name);
    const calls = now.calls - (then?.calls ?? 0);
    if (calls > 0) commands[name] = { calls: per(calls, 3), 'usec (server)': per(now.usec - (then?.usec ?? 0), 1) };
  }
  console.table(commands);
}
