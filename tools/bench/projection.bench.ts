import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Pool } from 'pg';
import pino from 'pino';
import { v7 as uuidv7 } from 'uuid';
import { ensureDatabase, migrate } from '@taskinbox/database';
import {
  type Actor,
  type Task,
  type TaskCommand,
  decide,
  evolve,
  initialState,
  taskStreamName,
} from '@taskinbox/domain';
import { PostgresEventStore } from '@taskinbox/event-store';
import { ReadModelProjector, rebuildReadModels } from '@taskinbox/projector';
import { readModelsUpdatedChannel } from '@taskinbox/read-models';

// Read-side benchmarks (composed by bench:read): how long an appended event takes to show in
// the read models while tasks are created, claimed and completed at a steady rate, and how
// fast the read models are rebuilt from a large log. Each figure comes with the raw limit
// measured in the same run.

const silent = pino({ level: 'silent' });
const orgId = '7f9c2a4e-0000-4000-8000-000000000001';
const service: Actor = { kind: 'service', id: '7f9c2a4e-0000-4000-8000-000000000002', name: 'bench-service' };
const member: Actor = { kind: 'user', id: '7f9c2a4e-0000-4000-8000-000000000003', role: 'member' };

export interface Percentiles {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface ProjectionLagFigures {
  /** Events appended and measured (after a two-second warm-up). */
  events: number;
  seconds: number;
  appendedPerSecond: number;
  /** Append committed (appendToStream resolved) → the projector's read_models_updated for a checkpoint covering it. */
  lag: Percentiles;
  /** Raw limit: a NOTIFY sent on one connection heard on another, under the same load. */
  notifyRoundTrip: Percentiles;
  /** Batches the projector committed in the measured window. */
  batches: number;
}

/**
 * Appends `eventsPerSecond` task events (create, claim, complete: one event per append, as
 * ingest does) for `seconds` while a projector with its own pool and store follows the log.
 * `url` must be a migrated database; the projector starts from its current checkpoint.
 */
export async function projectionLag(
  url: string,
  {
    eventsPerSecond = 500,
    seconds = 15,
    pollIntervalMs,
  }: {
    eventsPerSecond?: number;
    seconds?: number;
    /** The projector's store: how long an idle subscription waits before reading anyway (store default when omitted). */
    pollIntervalMs?: number;
  } = {},
): Promise<ProjectionLagFigures> {
  const appendPool = new Pool({ connectionString: url, max: 16 });
  const appendStore = new PostgresEventStore({ pool: appendPool });
  const projectorPool = new Pool({ connectionString: url, max: 4 });
  const projectorStore = new PostgresEventStore({ pool: projectorPool, pollIntervalMs });
  const projector = new ReadModelProjector({ pool: projectorPool, store: projectorStore, logger: silent });
  const listener = new Client({ connectionString: url });
  await listener.connect();

  const lags: number[] = [];
  const pings: number[] = [];
  let measuring = false;
  let batches = 0;
  // Appends not yet seen in the read models, and the latest checkpoint notified.
  let pending: { position: string; at: number; measured: boolean }[] = [];
  let notified = '';
  listener.on('notification', ({ channel, payload = '' }) => {
    const now = performance.now();
    if (channel === 'bench_ping') {
      if (measuring) pings.push(now - Number(payload));
      return;
    }
    notified = payload;
    if (measuring) batches++;
    pending = pending.filter((append) => {
      if (append.position > payload) return true;
      if (append.measured) lags.push(now - append.at);
      return false;
    });
  });
  await listener.query(`LISTEN ${readModelsUpdatedChannel}`);
  await listener.query('LISTEN bench_ping');
  projector.start();

  // Tasks move create → claim → complete; whichever task is ready takes the next slot.
  const ready: { id: string; task: Task; revision: bigint }[] = [];
  const append = async (): Promise<void> => {
    const next = ready.shift();
    const id = next?.id ?? uuidv7();
    const task = next?.task ?? initialState();
    const now = new Date().toISOString();
    const command: TaskCommand = !task.exists
      ? {
          type: 'CreateTask',
          data: { taskId: id, orgId, taskType: 'refund.approval', title: 'Refund order', payload: { amount: 25 } },
          by: service,
          now,
        }
      : task.status === 'pending'
        ? { type: 'ClaimTask', by: member, now }
        : { type: 'CompleteTask', resolution: 'accepted', by: member, now };
    const result = decide(command, task);
    if (!result.ok) throw new Error(result.rejection.message);
    const measured = measuring;
    const { position, nextExpectedRevision } = await appendStore.appendToStream(
      taskStreamName(id),
      result.events.map((event) => ({
        id: uuidv7(),
        type: event.type,
        data: event.data,
        metadata: { orgId, actor: `user:${member.id}`, correlationId: randomUUID() },
      })),
      { expectedRevision: next ? next.revision : 'no_stream' },
    );
    const at = performance.now();
    // Already covered when a poll let the projector see the event before this callback ran.
    if (position <= notified) {
      if (measured) lags.push(0);
    } else pending.push({ position, at, measured });
    const folded = result.events.reduce(evolve, task);
    if (folded.exists && folded.status !== 'completed')
      ready.push({ id, task: folded, revision: nextExpectedRevision });
  };

  const warmUpMs = 2000;
  const started = performance.now();
  let launched = 0;
  let measuredEvents = 0;
  const inFlight = new Set<Promise<void>>();
  let failure: unknown;
  let lastPing = 0;
  while (performance.now() - started < warmUpMs + seconds * 1000 && failure === undefined) {
    const elapsed = performance.now() - started;
    if (!measuring && elapsed >= warmUpMs) measuring = true;
    // Open loop: as many appends as the rate says by now, whether or not earlier ones finished.
    for (const due = Math.floor((elapsed / 1000) * eventsPerSecond); launched < due; launched++) {
      if (measuring) measuredEvents++;
      const running: Promise<void> = append().catch((error: unknown) => void (failure ??= error));
      inFlight.add(running);
      void running.finally(() => inFlight.delete(running));
    }
    if (measuring && elapsed - lastPing >= 50) {
      lastPing = elapsed;
      void appendPool
        .query('SELECT pg_notify($1, $2)', ['bench_ping', String(performance.now())])
        .catch(() => undefined);
    }
    await sleep(2);
  }
  const window = (performance.now() - started - warmUpMs) / 1000;
  await Promise.all(inFlight);
  measuring = false;
  if (failure !== undefined) throw failure;
  // Let the projector finish what was appended before stopping it.
  const deadline = Date.now() + 30_000;
  while (pending.some((append) => append.measured) && Date.now() < deadline) await sleep(10);

  await projector.stop();
  await listener.end();
  await Promise.all([appendStore.close(), projectorStore.close()]);
  await Promise.all([appendPool.end(), projectorPool.end()]);
  if (pending.some((append) => append.measured)) throw new Error('The projector did not catch up within 30 s.');

  return {
    events: measuredEvents,
    seconds: round(window),
    appendedPerSecond: Math.round(measuredEvents / window),
    lag: percentiles(lags),
    notifyRoundTrip: percentiles(pings),
    batches,
  };
}

export interface RebuildSpeedFigures {
  events: number;
  tasks: number;
  /** Writing the log with bulk INSERTs (setup, not part of the figure). */
  seedSeconds: number;
  rebuild: { seconds: number; eventsPerSecond: number; phases: RebuildPhases };
  /** The live projector catching up from an empty checkpoint over the same log (batches of 500). */
  catchUp: { seconds: number; eventsPerSecond: number };
  /** Raw limit: copying the finished read-model rows into empty tables of the same shape, one INSERT … SELECT each. */
  rawCopy: { rows: number; seconds: number; rowsPerSecond: number };
}

/** Seconds of each part of a rebuild, from the times of its own log lines. */
export interface RebuildPhases {
  /** Empty shadow tables created. */
  setup: number;
  /** The log read and folded, its timeline rows written as it goes. */
  replay: number;
  /** Inbox and facts rows, rollups, ANALYZE and indexes (on two sessions), then the catch-up. */
  finishing: number;
  swap: number;
}

/** The rebuild's log lines that start each phase after the first (read-model.rebuild.ts). */
const phaseEnds: Record<keyof RebuildPhases, string> = {
  setup: 'rebuild: replaying the event log into shadow tables',
  replay: 'rebuild: replayed; writing the tasks and building indexes',
  finishing: 'rebuild: caught up; swapping tables',
  swap: 'rebuild: done',
};

/** A logger that notes when each of the rebuild's info lines was written, for rebuildPhases. */
function phaseLogger(): { logger: pino.Logger; seen: Map<string, number> } {
  const seen = new Map<string, number>();
  const logger = pino({ level: 'info' }, { write: (line: string) => seen.set(JSON.parse(line).msg, performance.now()) });
  return { logger, seen };
}

function rebuildPhases(started: number, seen: Map<string, number>): RebuildPhases {
  let from = started;
  const phases = {} as RebuildPhases;
  for (const [phase, message] of Object.entries(phaseEnds) as [keyof RebuildPhases, string][]) {
    const at = seen.get(message);
    if (at === undefined) throw new Error(`The rebuild no longer logs '${message}': update phaseEnds.`);
    phases[phase] = round((at - from) / 1000);
    from = at;
  }
  return phases;
}

/**
 * Seeds `events` task events (a quarter each of created, claimed, commented, completed) with
 * bulk INSERTs into an empty, migrated database at `url`, then times rebuildReadModels over
 * them, the live projector's catch-up over them, and a plain copy of the resulting rows.
 */
export async function rebuildSpeed(
  url: string,
  { events = 200_000 }: { events?: number } = {},
): Promise<RebuildSpeedFigures> {
  const pool = new Pool({ connectionString: url, max: 4 });
  const store = new PostgresEventStore({ pool });
  try {
    const seedStarted = performance.now();
    const tasks = await seed(pool, Math.ceil(events / 4));
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    const total = tasks * 4;

    const { logger, seen } = phaseLogger();
    const rebuildStarted = performance.now();
    await rebuildReadModels({ pool, store, logger });
    const rebuildSeconds = (performance.now() - rebuildStarted) / 1000;

    const rawCopy = await copyRows(pool);

    await pool.query('TRUNCATE inbox_tasks, task_timeline, task_facts');
    await pool.query('DELETE FROM projection_checkpoints');
    const { rows } = await pool.query<{ position: string }>(
      'SELECT es_position(tx_id, global_position) AS position FROM es_events ORDER BY tx_id DESC, global_position DESC LIMIT 1',
    );
    const catchUpStarted = performance.now();
    const projector = new ReadModelProjector({ pool, store, logger: silent });
    projector.start();
    for (;;) {
      const checkpoint = await pool.query<{ position: string | null }>(
        `SELECT position FROM projection_checkpoints WHERE name = 'read-models'`,
      );
      if ((checkpoint.rows[0]?.position ?? '') >= rows[0].position) break;
      await sleep(20);
    }
    const catchUpSeconds = (performance.now() - catchUpStarted) / 1000;
    await projector.stop();

    return {
      events: total,
      tasks,
      seedSeconds: round(seedSeconds),
      rebuild: {
        seconds: round(rebuildSeconds),
        eventsPerSecond: Math.round(total / rebuildSeconds),
        phases: rebuildPhases(rebuildStarted, seen),
      },
      catchUp: { seconds: round(catchUpSeconds), eventsPerSecond: Math.round(total / catchUpSeconds) },
      rawCopy,
    };
  } finally {
    await store.close();
    await pool.end();
  }
}

/**
 * Writes task lives straight into es_streams/es_events, 10,000 events per transaction. Step by
 * step over all tasks (every creation, then every claim, …), so a task's events lie far apart
 * as in a long-lived log and nearly every batch must load and update rows written before.
 */
export async function seed(pool: Pool, tasks: number): Promise<number> {
  const base = Date.UTC(2025, 0, 6, 8);
  const lives = Array.from({ length: tasks }, (_, i) => {
    const id = uuidv7();
    const at = (step: number): string => new Date(base + i * 30_000 + step * 3_600_000).toISOString();
    const commands: TaskCommand[] = [
      {
        type: 'CreateTask',
        data: {
          taskId: id,
          orgId,
          taskType: 'refund.approval',
          title: `Refund order ${i}`,
          payload: { amount: 25 },
          tags: ['refund'],
        },
        by: service,
        now: at(0),
      },
      { type: 'ClaimTask', by: member, now: at(1) },
      {
        type: 'CommentOnTask',
        commentId: randomUUID(),
        body: 'Checked the ledger, refund is due.',
        by: member,
        now: at(2),
      },
      { type: 'CompleteTask', resolution: 'accepted', by: member, now: at(30) },
    ];
    let task: Task = initialState();
    const events = commands.map((command) => {
      const result = decide(command, task);
      if (!result.ok) throw new Error(result.rejection.message);
      task = evolve(task, result.events[0]);
      return result.events[0];
    });
    return { stream: taskStreamName(id), events };
  });
  await pool.query(
    `INSERT INTO es_streams (stream_id, stream_type, revision) SELECT s, 'task', 3 FROM unnest($1::text[]) AS s`,
    [lives.map((life) => life.stream)],
  );
  const rows = [0, 1, 2, 3].flatMap((step) =>
    lives.map((life) => ({ stream: life.stream, revision: step, event: life.events[step] })),
  );
  const chunk = 10_000;
  for (let first = 0; first < rows.length; first += chunk) {
    const part = rows.slice(first, first + chunk);
    await pool.query(
      `INSERT INTO es_events (stream_id, stream_revision, event_id, event_type, data, metadata)
       SELECT e.stream, e.revision, e.id, e.type, e.data, e.metadata
       FROM unnest($1::text[], $2::bigint[], $3::uuid[], $4::text[], $5::jsonb[], $6::jsonb[]) WITH ORDINALITY
         AS e(stream, revision, id, type, data, metadata, n)
       ORDER BY e.n`,
      [
        part.map((row) => row.stream),
        part.map((row) => row.revision),
        part.map(() => uuidv7()),
        part.map((row) => row.event.type),
        part.map((row) => JSON.stringify(row.event.data)),
        part.map(() => JSON.stringify({ orgId, actor: `user:${member.id}`, correlationId: randomUUID() })),
      ],
    );
  }
  return tasks;
}

async function copyRows(pool: Pool): Promise<RebuildSpeedFigures['rawCopy']> {
  const tables = ['inbox_tasks', 'task_timeline', 'task_facts'];
  const client = await pool.connect();
  try {
    for (const table of tables) {
      await client.query(`DROP TABLE IF EXISTS bench_copy_${table}`);
      // Generated columns become plain ones so the copy can write them as they are.
      await client.query(`CREATE TABLE bench_copy_${table} (LIKE ${table} INCLUDING ALL EXCLUDING GENERATED)`);
    }
    const started = performance.now();
    let rows = 0;
    await client.query('BEGIN');
    for (const table of tables)
      rows += (await client.query(`INSERT INTO bench_copy_${table} SELECT * FROM ${table}`)).rowCount ?? 0;
    await client.query('COMMIT');
    const seconds = (performance.now() - started) / 1000;
    for (const table of tables) await client.query(`DROP TABLE bench_copy_${table}`);
    return { rows, seconds: round(seconds), rowsPerSecond: Math.round(rows / seconds) };
  } finally {
    client.release();
  }
}

export function percentiles(samples: number[]): Percentiles {
  if (samples.length === 0) return { p50Ms: NaN, p99Ms: NaN, maxMs: NaN };
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number): number => round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]);
  return { p50Ms: at(0.5), p99Ms: at(0.99), maxMs: round(sorted[sorted.length - 1]) };
}

const round = (value: number): number => Number(value.toFixed(2));

/** Standalone: node dist/tools/bench/projection.bench.js (fresh databases on BENCH_DATABASE_SERVER). */
async function main(): Promise<void> {
  const server = process.env.BENCH_DATABASE_SERVER ?? 'postgres://postgres@127.0.0.1:5432';
  const fresh = async (name: string): Promise<string> => {
    const admin = new Client({ connectionString: `${server}/postgres` });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
    const url = `${server}/${name}`;
    await ensureDatabase(url);
    await migrate(url);
    return url;
  };
  const lag = await projectionLag(await fresh('taskinbox_bench_projection_lag'), {
    eventsPerSecond: Number(process.env.BENCH_EVENTS_PER_SECOND ?? 500),
    seconds: Number(process.env.BENCH_SECONDS ?? 15),
  });
  console.log('projection lag', JSON.stringify(lag));
  const rebuild = await rebuildSpeed(await fresh('taskinbox_bench_projection_rebuild'), {
    events: Number(process.env.BENCH_EVENTS ?? 200_000),
  });
  console.log('rebuild', JSON.stringify(rebuild));
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
