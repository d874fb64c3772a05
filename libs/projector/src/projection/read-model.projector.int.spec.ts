import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { PostgresEventStore } from '@taskinbox/event-store';
import { createTestDatabase, type TestDatabase } from '@taskinbox/testing';
import { TaskWriter, appendWorkload, cast, endOfLog, silentLogger, waitForCheckpoint } from './read-model.fixture';
import { ReadModelProjector } from './read-model.projector';

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('read-model projector instances', () => {
  jest.setTimeout(60_000);
  let database: TestDatabase;
  let pool: Pool;
  let store: PostgresEventStore;

  beforeAll(async () => {
    database = await createTestDatabase('proj');
    pool = new Pool({ connectionString: database.url, max: 10 });
    // The server is shared with other test runs; an idle connection they end must not fail this file.
    pool.on('error', () => undefined);
    store = new PostgresEventStore({ pool, pollIntervalMs: 50 });
  });

  afterAll(async () => {
    await store?.close();
    await pool?.end();
    await database?.drop();
  });

  it('lets one instance apply events while the other stands by, and hands over when the active one stops', async () => {
    const start = (): ReadModelProjector => {
      const projector = new ReadModelProjector({ pool, store, logger: silentLogger, retryMs: 100 });
      projector.start();
      return projector;
    };
    const instances = [start(), start()];
    while (!instances.some((p) => p.state === 'active') || !instances.some((p) => p.state === 'standby'))
      await pause(10);
    const active = instances.find((p) => p.state === 'active')!;
    const standby = instances.find((p) => p.state === 'standby')!;

    const writer = new TaskWriter(store, randomUUID());
    const actors = cast();
    await appendWorkload(writer, store, actors, 40);
    await waitForCheckpoint(pool, await endOfLog(pool));
    const firstPart = Number((await pool.query('SELECT count(*) FROM es_events')).rows[0].count);
    expect(active.eventsApplied).toBe(firstPart);
    expect(standby.eventsApplied).toBe(0);
    expect(standby.state).toBe('standby');

    await active.stop();
    await appendWorkload(writer, store, actors, 20, Date.UTC(2025, 10, 1));
    await waitForCheckpoint(pool, await endOfLog(pool));
    const total = Number((await pool.query('SELECT count(*) FROM es_events')).rows[0].count);
    expect(standby.state).toBe('active');
    expect(standby.eventsApplied).toBe(total - firstPart);
    expect(active.eventsApplied).toBe(firstPart);
    await standby.stop();

    const { rows } = await pool.query(
      'SELECT count(*)::int AS tasks, sum(version + 1)::int AS events FROM inbox_tasks',
    );
    const taskEvents = Number(
      (await pool.query(`SELECT count(*) FROM es_events WHERE stream_id LIKE 'task-%'`)).rows[0].count,
    );
    expect(rows[0]).toEqual({ tasks: 60, events: taskEvents });
  });

  it('reconnects and resumes from its checkpoint when its connection is killed', async () => {
    const projector = new ReadModelProjector({ pool, store, logger: silentLogger, retryMs: 100 });
    projector.start();
    while (projector.state !== 'active') await pause(10);
    await pool.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
      WHERE datname = current_database() AND application_name LIKE 'taskinbox projector%'`);
    const writer = new TaskWriter(store, randomUUID());
    const taskId = await writer.create(cast().service, '2025-12-01T09:00:00.000Z');
    await waitForCheckpoint(pool, await endOfLog(pool));
    await projector.stop();
    expect((await pool.query('SELECT status FROM inbox_tasks WHERE task_id = $1', [taskId])).rows).toEqual([
      { status: 'pending' },
    ]);
  });
});
