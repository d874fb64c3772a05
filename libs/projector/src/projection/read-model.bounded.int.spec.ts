import { createHash, randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { type EventStore, PostgresEventStore, type RecordedEvent } from '@taskinbox/event-store';
import { createTestDatabase, type TestDatabase } from '@taskinbox/testing';
import { TaskWriter, cast, endOfLog, silentLogger, waitForCheckpoint } from './read-model.fixture';
import { ReadModelProjector } from './read-model.projector';

const mib = 1024 * 1024;

describe('read-model projector on events with large payloads', () => {
  jest.setTimeout(180_000);
  let database: TestDatabase;
  let pool: Pool;
  let store: PostgresEventStore;

  beforeAll(async () => {
    database = await createTestDatabase('proj');
    pool = new Pool({ connectionString: database.url, max: 8 });
    // The server is shared with other test runs; an idle connection they end must not fail this file.
    pool.on('error', () => undefined);
    store = new PostgresEventStore({ pool, pollIntervalMs: 50 });
  });

  afterAll(async () => {
    await store?.close();
    await pool?.end();
    await database?.drop();
  });

  it('catches up on 400 tasks of 1 MiB each, appended while it was stopped, in batches bounded by bytes', async () => {
    // 400 MiB in one batch of 500 events was one jsonb parameter past PostgreSQL's 256 MB limit:
    // that batch failed on every retry and held back every organisation's read models.
    const writer = new TaskWriter(store, randomUUID());
    const { service } = cast();
    const digests = new Map<string, string>();
    for (let wave = 0; wave < 400; wave += 8) {
      await Promise.all(
        Array.from({ length: 8 }, async (_, index) => {
          // 1 MiB of text that compresses well: cheap to store, but 1 MiB in every batch that carries it.
          const blob = `${wave + index}:`.padEnd(mib, ' taskinbox');
          const taskId = await writer.create(
            service,
            new Date(Date.UTC(2025, 11, 1) + (wave + index) * 1000).toISOString(),
            {
              payload: { blob },
            },
          );
          digests.set(taskId, createHash('sha256').update(blob).digest('hex'));
        }),
      );
    }
    expect(digests.size).toBe(400);

    const batches: number[] = [];
    const projector = new ReadModelProjector({ pool, store: counting(store, batches), logger: silentLogger });
    projector.start();
    try {
      await waitForCheckpoint(pool, await endOfLog(pool), 150_000);
    } finally {
      await projector.stop();
    }

    // Every task is in the inbox with its payload whole.
    const { rows } = await pool.query<{ task_id: string; digest: string }>(
      `SELECT task_id::text, encode(sha256(convert_to(state->'payload'->>'blob', 'UTF8')), 'hex') AS digest FROM inbox_tasks`,
    );
    expect(new Map(rows.map((row) => [row.task_id, row.digest]))).toEqual(digests);
    // The default 4 MiB per batch holds three of these events, never the 500 the count allows.
    expect(batches.reduce((sum, size) => sum + size, 0)).toBe(400);
    expect(Math.max(...batches)).toBeLessThanOrEqual(3);
    expect(batches.length).toBeGreaterThanOrEqual(134);
  });

  it('writes a batch of small events on large tasks in several statements, all in its one transaction', async () => {
    // 40 claims are a few kilobytes of events, but each rewrites a 1 MiB inbox row: 40 MiB of rows.
    const { rows: tasks } = await pool.query<{ task_id: string }>('SELECT task_id::text FROM inbox_tasks LIMIT 40');
    const member = cast().member;
    for (const { task_id: taskId } of tasks) {
      const { rows } = await pool.query<{ revision: string }>('SELECT revision::text FROM es_streams WHERE stream_id = $1', [
        `task-${taskId}`,
      ]);
      await store.appendToStream(
        `task-${taskId}`,
        [
          {
            id: randomUUID(),
            type: 'TaskClaimed',
            data: { taskId, by: member, claimedAt: '2025-12-02T08:00:00.000Z' },
            metadata: { orgId: randomUUID(), actor: `user:${member.id}`, correlationId: randomUUID() },
          },
        ],
        { expectedRevision: BigInt(rows[0].revision) },
      );
    }
    const batches: number[] = [];
    const projector = new ReadModelProjector({ pool, store: counting(store, batches), logger: silentLogger });
    projector.start();
    try {
      await waitForCheckpoint(pool, await endOfLog(pool), 60_000);
    } finally {
      await projector.stop();
    }
    expect(batches).toEqual([40]);
    const { rows } = await pool.query<{ claimed: number; whole: number }>(
      `SELECT count(*) FILTER (WHERE status = 'processing' AND processed_by = $2)::int AS claimed,
              count(*) FILTER (WHERE length(state->'payload'->>'blob') = $3)::int AS whole
       FROM inbox_tasks WHERE task_id = ANY($1::uuid[])`,
      [tasks.map((task) => task.task_id), member.id, mib],
    );
    expect(rows).toEqual([{ claimed: 40, whole: 40 }]);
  });

  it('applies a single event larger than a batch may be, alone', async () => {
    const writer = new TaskWriter(store, randomUUID());
    const blob = 'x'.repeat(mib);
    const taskId = await writer.create(cast().service, '2025-12-02T09:00:00.000Z', { payload: { blob } });
    const batches: number[] = [];
    const projector = new ReadModelProjector({
      pool,
      store: counting(store, batches),
      logger: silentLogger,
      batchBytes: 64 * 1024,
    });
    projector.start();
    try {
      await waitForCheckpoint(pool, await endOfLog(pool));
    } finally {
      await projector.stop();
    }
    const { rows } = await pool.query<{ length: number }>(
      `SELECT length(state->'payload'->>'blob') AS length FROM inbox_tasks WHERE task_id = $1`,
      [taskId],
    );
    expect(rows).toEqual([{ length: blob.length }]);
    expect(batches).toEqual([1]);
  });
});

/** The store, with the size of every batch its subscriptions hand over recorded in `batches`. */
function counting(store: EventStore, batches: number[]): EventStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property !== 'subscribeToAll') return Reflect.get(target, property, receiver) as unknown;
      const subscribe: EventStore['subscribeToAll'] = (handler, options) =>
        target.subscribeToAll(async (events: RecordedEvent[]) => {
          batches.push(events.length);
          await handler(events);
        }, options);
      return subscribe;
    },
  });
}
