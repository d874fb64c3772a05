import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'pg';
import { STREAM_DOES_NOT_EXIST } from '@event-driven-io/emmett';
import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';
import { ensureDatabase, migrate } from '@taskinbox/database';
import {
  type EventMetadata,
  type EventToAppend,
  type ExpectedRevision,
  PostgresEventStore,
} from '@taskinbox/event-store';

// Append throughput of the PostgreSQL event store against a plain INSERT baseline and Emmett,
// each with one event per transaction from concurrent clients (composed by ingest.bench.ts).

export interface BenchResult {
  label: string;
  perSecond: number;
  count: number;
  seconds: number;
}

export interface LoadOptions {
  /** Concurrent clients, each with its own connection. Default 16. */
  clients?: number;
  /** Measured duration, after a one-second warm-up. Default 10. */
  seconds?: number;
}

const warmUpMs = 1000;
const eventType = 'TaskCreated';
const eventData = (): Record<string, unknown> => ({
  taskId: randomUUID(),
  title: 'Benchmark task',
  description: 'One event per transaction',
  priority: 'normal',
});
const eventMetadata = (): EventMetadata => ({
  orgId: '7f9c2a4e-0000-4000-8000-000000000001',
  actor: 'user:7f9c2a4e-0000-4000-8000-000000000002',
  correlationId: randomUUID(),
});
const storeEvent = (): EventToAppend => ({
  id: randomUUID(),
  type: eventType,
  data: eventData(),
  metadata: eventMetadata(),
});

/** Creates the database if it is missing and applies the real migrations (the store needs es_append_batch). */
export async function prepareBenchDatabase(url: string): Promise<void> {
  await ensureDatabase(url);
  await migrate(url);
}

/** Runs `operation` in a loop on every client; counts only completions inside the measured window. */
async function runLoad(
  label: string,
  { clients = 16, seconds = 10 }: LoadOptions,
  operation: (client: number) => Promise<void>,
): Promise<BenchResult> {
  let stopped = false;
  let counting = false;
  let count = 0;
  const workers = Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      while (!stopped) {
        await operation(client);
        if (counting) count++;
      }
    }),
  );
  // A failing worker stops the others; the failure surfaces when the workers are awaited.
  workers.catch(() => (stopped = true));
  await Promise.race([sleep(warmUpMs), workers]);
  counting = true;
  const started = performance.now();
  await Promise.race([sleep(seconds * 1000), workers]);
  counting = false;
  const elapsed = (performance.now() - started) / 1000;
  stopped = true;
  await workers;
  return { label, perSecond: Math.round(count / elapsed), count, seconds: Number(elapsed.toFixed(2)) };
}

/** Baseline: autocommit INSERTs into a copy of es_events (same columns, defaults and indexes; no stream table). */
export async function rawInserts(url: string, options: LoadOptions = {}): Promise<BenchResult> {
  const pool = new Pool({ connectionString: url, max: options.clients ?? 16 });
  try {
    await pool.query('DROP SCHEMA IF EXISTS es_bench_raw CASCADE');
    await pool.query('CREATE SCHEMA es_bench_raw');
    await pool.query('CREATE TABLE es_bench_raw.es_events (LIKE public.es_events INCLUDING ALL)');
    return await runLoad('raw INSERT into an es_events copy', options, async () => {
      await pool.query({
        name: 'bench_raw_insert',
        text: `INSERT INTO es_bench_raw.es_events (stream_id, stream_revision, event_id, event_type, data, metadata)
               VALUES ($1, 0, $2, $3, $4, $5)`,
        values: [`task-${randomUUID()}`, randomUUID(), eventType, eventData(), eventMetadata()],
      });
    });
  } finally {
    await pool.query('DROP SCHEMA IF EXISTS es_bench_raw CASCADE');
    await pool.end();
  }
}

/** PostgresEventStore.appendToStream, one event to a new stream per call ('no_stream'). */
export function storeAppends(url: string, options: LoadOptions = {}): Promise<BenchResult> {
  return withStore(url, options, (store) =>
    runLoad("PostgresEventStore, new streams ('no_stream')", options, async () => {
      await store.appendToStream(`task-${randomUUID()}`, [storeEvent()], { expectedRevision: 'no_stream' });
    }),
  );
}

/** PostgresEventStore.appendToStream, one event per call to the client's own stream at its exact revision. */
export function storeAppendsToExistingStreams(url: string, options: LoadOptions = {}): Promise<BenchResult> {
  const clients = options.clients ?? 16;
  const streams = Array.from({ length: clients }, () => `task-${randomUUID()}`);
  const revisions: ExpectedRevision[] = streams.map(() => 'no_stream');
  return withStore(url, options, (store) =>
    runLoad('PostgresEventStore, existing streams (exact revision)', options, async (client) => {
      const result = await store.appendToStream(streams[client], [storeEvent()], {
        expectedRevision: revisions[client],
      });
      revisions[client] = result.nextExpectedRevision;
    }),
  );
}

/** The same load as storeAppends through @event-driven-io/emmett-postgresql (its own emt_* tables). */
export async function emmettAppends(url: string, options: LoadOptions = {}): Promise<BenchResult> {
  const pool = new Pool({ connectionString: url, max: options.clients ?? 16 });
  const store = getPostgreSQLEventStore(url, { connectionOptions: { pool } });
  try {
    await store.schema.migrate();
    return await runLoad('emmett-postgresql, new streams (STREAM_DOES_NOT_EXIST)', options, async () => {
      await store.appendToStream(
        `task-${randomUUID()}`,
        [{ type: eventType, data: eventData(), metadata: eventMetadata() }],
        { expectedStreamVersion: STREAM_DOES_NOT_EXIST },
      );
    });
  } finally {
    await store.close();
    await pool.end();
  }
}

async function withStore(
  url: string,
  options: LoadOptions,
  run: (store: PostgresEventStore) => Promise<BenchResult>,
): Promise<BenchResult> {
  // One connection more than clients: the store's coalesced NOTIFY runs outside the appends.
  const pool = new Pool({ connectionString: url, max: (options.clients ?? 16) + 1 });
  const store = new PostgresEventStore({ pool });
  try {
    return await run(store);
  } finally {
    await store.close();
    await pool.end();
  }
}
