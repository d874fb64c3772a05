import { randomUUID } from 'node:crypto';
import { Client, Pool } from 'pg';
import pino from 'pino';
import { type EventStore, PostgresEventStore } from '@taskinbox/event-store';
import { createTestDatabase, type TestDatabase } from '@taskinbox/testing';
import {
  TaskWriter,
  appendWorkload,
  cast,
  endOfLog,
  resetReadModels,
  silentLogger,
  snapshotReadModels,
  waitForCheckpoint,
} from './read-model.fixture';
import { ReadModelProjector } from './read-model.projector';
import { rebuildReadModels } from './read-model.rebuild';

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('read-model rebuild', () => {
  jest.setTimeout(120_000);
  let database: TestDatabase;
  let pool: Pool;
  let store: PostgresEventStore;
  const tasks = (): TaskWriter => new TaskWriter(store, randomUUID());
  const actors = cast();

  beforeAll(async () => {
    database = await createTestDatabase('proj');
    pool = new Pool({ connectionString: database.url, max: 10 });
    // The server is shared with other test runs; an idle connection they end must not fail this file.
    pool.on('error', () => undefined);
    store = new PostgresEventStore({ pool, pollIntervalMs: 50 });
    await appendWorkload(tasks(), store, actors, 300);
  });

  afterAll(async () => {
    await store?.close();
    await pool?.end();
    await database?.drop();
  });

  /** Names and definitions of the projected tables' indexes and constraints. */
  const schemaOf = async (): Promise<unknown[]> =>
    (
      await pool.query(`
        SELECT tablename AS table, indexname AS name, indexdef AS definition FROM pg_indexes
        WHERE tablename IN ('inbox_tasks', 'task_timeline', 'task_facts', 'resolution_rollups')
        UNION ALL
        SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint
        WHERE conrelid IN ('inbox_tasks'::regclass, 'task_timeline'::regclass, 'task_facts'::regclass, 'resolution_rollups'::regclass)
        UNION ALL
        SELECT tgrelid::regclass::text, tgname, pg_get_triggerdef(oid) FROM pg_trigger
        WHERE tgrelid = 'task_facts'::regclass AND NOT tgisinternal
        ORDER BY 1, 2, 3`)
    ).rows;

  /** What a projector makes of the whole log from scratch (the read models are replaced). */
  const projectFromScratch = async (): Promise<Awaited<ReturnType<typeof snapshotReadModels>>> => {
    await resetReadModels(pool);
    const projector = new ReadModelProjector({ pool, store, logger: silentLogger });
    projector.start();
    await waitForCheckpoint(pool, await endOfLog(pool), 60_000);
    await projector.stop();
    return snapshotReadModels(pool);
  };

  /** Appends in waves until stopped. */
  const keepAppending = (writer: TaskWriter): { stop(): Promise<void> } => {
    let going = true;
    const running = (async () => {
      for (let wave = 0; going; wave++)
        await appendWorkload(writer, store, actors, 10, Date.UTC(2025, 11, 1) + wave * 86_400_000);
    })();
    return {
      stop: async () => {
        going = false;
        await running;
      },
    };
  };

  it('swaps in the same rows a live projection makes, never showing an empty inbox, while the live projector carries on', async () => {
    const projector = new ReadModelProjector({ pool, store, logger: silentLogger, retryMs: 100 });
    projector.start();
    await waitForCheckpoint(pool, await endOfLog(pool), 60_000);
    const schema = await schemaOf();

    // A reader counts the inbox without a pause while appends keep the live projector busy.
    let reading = true;
    const counts: number[] = [];
    const reader = (async () => {
      const client = new Client({ connectionString: database.url });
      await client.connect();
      while (reading) counts.push((await client.query('SELECT count(*)::int AS n FROM inbox_tasks')).rows[0].n);
      await client.end();
    })();
    const appends = keepAppending(tasks());
    let appliedAtSwap = 0;
    try {
      const result = await rebuildReadModels({ pool, store, logger: silentLogger, batchSize: 100 });
      expect(result.events).toBeGreaterThan(1000);
      appliedAtSwap = projector.eventsApplied;
      // Appends go on for a moment after the swap: the live projector applies them to the new tables.
      await pause(500);
    } finally {
      reading = false;
      await Promise.all([reader, appends.stop()]);
    }
    await waitForCheckpoint(pool, await endOfLog(pool), 60_000);
    const rebuilt = await snapshotReadModels(pool);
    await projector.stop();

    expect(counts.length).toBeGreaterThan(20);
    expect(counts.every((count, i) => count > 0 && (i === 0 || count >= counts[i - 1]))).toBe(true);
    expect(projector.eventsApplied).toBeGreaterThan(appliedAtSwap);
    expect(await schemaOf()).toEqual(schema);
    const leftovers = await pool.query(`SELECT 1 FROM pg_class WHERE relname LIKE '%\\_rebuild%'
      UNION ALL SELECT 1 FROM projection_checkpoints WHERE name <> 'read-models'`);
    expect(leftovers.rowCount).toBe(0);
    // The rollups the stats read came through the rebuild too, equal to what a live projection keeps.
    expect(rebuilt.rollups.length).toBeGreaterThan(0);
    expect(rebuilt).toEqual(await projectFromScratch());
  });

  it('gives the same rows when the log holds more tasks than the replay keeps in memory, whatever the text', async () => {
    // Text that COPY must carry as it is: quotes, commas, tabs, line breaks, backslashes, NULL-like words.
    const odd = 'He said "no", then\nleft; C:\\temp\\ \\N NULL {x} \t é 🧾';
    // And a row larger than the COPY's chunks (a task with a big payload), with characters of several UTF-8 lengths.
    const large = odd.repeat(20_000);
    const writer = tasks();
    const id = await writer.create(actors.service, '2025-12-20T09:00:00.000Z', {
      title: odd,
      description: '',
      tags: ['a,b', '"quoted"', '{brace}', 'NULL', 'back\\slash', ''],
      assignees: [],
      payload: { text: odd, nested: [null, { odd }], large },
      externalRef: 'NULL',
    });
    await writer.act(id, actors.member, '2025-12-20T09:05:00.000Z', { type: 'CommentOnTask', commentId: randomUUID(), body: odd });
    // 20 tasks at most in memory, reads of 50 events: tasks are written out and loaded back many times.
    const result = await rebuildReadModels({ pool, store, logger: silentLogger, batchSize: 50, maxTasks: 20 });
    expect(result.events).toBeGreaterThan(1000);
    const spilled = await snapshotReadModels(pool);
    // And all in memory: every row goes through COPY.
    await rebuildReadModels({ pool, store, logger: silentLogger });
    const inMemory = await snapshotReadModels(pool);
    expect(inMemory.inbox.length).toBeGreaterThan(300);
    const reference = await projectFromScratch();
    expect(spilled).toEqual(reference);
    expect(inMemory).toEqual(reference);
  });

  it('makes a live batch that read the old checkpoint roll back, reload the checkpoint and carry on', async () => {
    // The live projector's batches pass a gate the test holds shut during the rebuild: one
    // batch waits there with the checkpoint it read before the swap.
    let openGate!: () => void;
    const gate = new Promise<void>((resolve) => (openGate = resolve));
    let waiting = 0;
    const gatedStore: EventStore = {
      appendToStream: (...args) => store.appendToStream(...args),
      readStream: (...args) => store.readStream(...args),
      deleteStream: (streamId) => store.deleteStream(streamId),
      countAfter: (...args) => store.countAfter(...args),
      lastPosition: () => store.lastPosition(),
      readAll: (...args) => store.readAll(...args),
      readAllWithoutMetadata: (...args) => store.readAllWithoutMetadata(...args),
      subscribeToAll: (handler, options) =>
        store.subscribeToAll((events) => {
          waiting++;
          return gate.then(() => handler(events));
        }, options),
      close: () => store.close(),
    };
    const warnings: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => warnings.push(line) });
    const projector = new ReadModelProjector({ pool, store: gatedStore, logger, retryMs: 100 });
    projector.start();
    const writer = tasks();
    await writer.create(actors.service, '2025-12-24T09:00:00.000Z');
    while (waiting === 0) await pause(10);

    await rebuildReadModels({ pool, store, logger: silentLogger });
    openGate();
    await writer.create(actors.service, '2025-12-24T10:00:00.000Z');
    await waitForCheckpoint(pool, await endOfLog(pool));
    await pause(200);
    const rebuilt = await snapshotReadModels(pool);
    await projector.stop();

    expect(warnings.join('')).toContain('checkpoint moved by another writer');
    expect(projector.eventsApplied).toBeGreaterThan(0);
    expect(rebuilt).toEqual(await projectFromScratch());
  });

  it('waits out readers of the live tables by retrying the swap, and allows one rebuild at a time', async () => {
    const before = await snapshotReadModels(pool);
    // A reader in a long transaction keeps the live tables for a second: swaps time out and retry.
    const reader = new Client({ connectionString: database.url });
    await reader.connect();
    await reader.query('BEGIN');
    await reader.query('SELECT count(*) FROM inbox_tasks');
    // The reader lets go once a swap has timed out and is retried (or the rebuild has ended), however slow the machine.
    const infos: string[] = [];
    let retried!: () => void;
    const swapRetried = new Promise<void>((resolve) => (retried = resolve));
    const logger = pino(
      { level: 'info' },
      {
        write: (line: string) => {
          infos.push(line);
          if (line.includes('retrying the swap')) retried();
        },
      },
    );

    const rebuilding = rebuildReadModels({ pool, store, logger, lockTimeoutMs: 200 });
    const released = Promise.race([swapRetried, rebuilding.catch(() => undefined)]).then(() => reader.query('COMMIT'));
    const [first, second] = await Promise.allSettled([
      rebuilding,
      pause(200).then(() => rebuildReadModels({ pool, store, logger: silentLogger })),
    ]);
    await released;
    await reader.end();

    expect(first.status).toBe('fulfilled');
    expect(second.status).toBe('rejected');
    expect(String((second as PromiseRejectedResult).reason)).toContain('Another read-model rebuild is running');
    expect(infos.join('')).toContain('retrying the swap');
    expect(await snapshotReadModels(pool)).toEqual(before);
  });
});
