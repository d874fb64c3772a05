import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Client, Pool, type QueryResult, type QueryResultRow } from 'pg';
import { PostgresEventStore } from '@taskinbox/event-store';
import { createTestDatabase, type TestDatabase } from '@taskinbox/testing';
import {
  TaskWriter,
  appendWorkload,
  cast,
  endOfLog,
  liveCheckpoint,
  resetReadModels,
  silentLogger,
  snapshotReadModels,
  waitForCheckpoint,
} from './read-model.fixture';
import { applyBatch, liveProjection, readCheckpoint } from './read-model.projection';
import { ReadModelProjector } from './read-model.projector';
import type { SqlClient } from './read-model.tables';

type Fault = 'throw before' | 'throw after' | 'kill connection';

/** Passes statements through to a real connection and fails the `failAt`-th one as told. */
class FaultyClient implements SqlClient {
  private count = 0;

  constructor(
    private readonly client: Client,
    private readonly pid: number,
    private readonly admin: Pool,
    private readonly failAt: number,
    private readonly fault: Fault,
  ) {}

  async query<R extends QueryResultRow = QueryResultRow>(text: string, values?: unknown[]): Promise<QueryResult<R>> {
    if (++this.count !== this.failAt) return this.client.query<R>(text, values);
    switch (this.fault) {
      case 'throw before':
        throw new Error(`fault before statement ${this.count}`);
      case 'throw after':
        await this.client.query<R>(text, values);
        throw new Error(`fault after statement ${this.count}`);
      case 'kill connection':
        // The server ends the session: whatever the transaction did is rolled back there.
        await this.admin.query('SELECT pg_terminate_backend($1)', [this.pid]);
        return this.client.query<R>(text, values);
    }
  }
}

describe('read-model projection after crashes', () => {
  jest.setTimeout(120_000);
  let database: TestDatabase;
  let pool: Pool;
  let store: PostgresEventStore;

  /** Runs the projector without interruption over the whole log and keeps what it wrote. */
  const projectUninterrupted = async (): Promise<Awaited<ReturnType<typeof snapshotReadModels>>> => {
    await resetReadModels(pool);
    const projector = new ReadModelProjector({ pool, store, logger: silentLogger });
    projector.start();
    await waitForCheckpoint(pool, await endOfLog(pool));
    await projector.stop();
    return snapshotReadModels(pool);
  };

  beforeAll(async () => {
    database = await createTestDatabase('proj');
    pool = new Pool({ connectionString: database.url, max: 8 });
    // The server is shared with other test runs; an idle connection they end must not fail this file.
    pool.on('error', () => undefined);
    store = new PostgresEventStore({ pool, pollIntervalMs: 50 });
  });

  afterAll(async () => {
    // A test that failed half-way must not leave a projector behind: Jest would wait for it.
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await store?.close();
    await pool?.end();
    await database?.drop();
  });

  it('gives the same rows when batches fail at every statement, by exception or by a dead connection', async () => {
    await appendWorkload(new TaskWriter(store, randomUUID()), store, cast(), 100);
    const reference = await projectUninterrupted();
    expect(reference.inbox).toHaveLength(100);
    await resetReadModels(pool);

    // A batch is BEGIN, checkpoint, load, write (and NOTIFY), COMMIT: each round lets 1-3
    // batches through, then fails statement k of the next one.
    const faults: Fault[] = ['throw before', 'throw after', 'kill connection'];
    let rounds = 0;
    for (const fault of faults) {
      for (let k = 1; k <= 5; k++) {
        const good = 1 + (rounds % 3);
        const client = new Client({ connectionString: database.url });
        client.on('error', () => undefined);
        await client.connect();
        const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
        const faulty = new FaultyClient(client, pid, pool, 5 * good + k, fault);
        let position = await readCheckpoint(client, liveProjection.checkpoint);
        const subscription = store.subscribeToAll(
          async (events) => {
            position = await applyBatch(faulty, liveProjection, events, position);
          },
          { after: position ?? undefined, batchSize: 4 },
        );
        await expect(subscription.done).rejects.toThrow();
        await client.end().catch(() => undefined);
        rounds++;
      }
    }
    expect(rounds).toBe(15);
    // Still short of the end, so the restarted projector has work left.
    expect((await liveCheckpoint(pool))! < (await endOfLog(pool))).toBe(true);

    const projector = new ReadModelProjector({ pool, store, logger: silentLogger });
    projector.start();
    await waitForCheckpoint(pool, await endOfLog(pool));
    await projector.stop();
    expect(await snapshotReadModels(pool)).toEqual(reference);
  });

  it('gives the same rows when the projector process is killed (SIGKILL) while events stream in', async () => {
    await resetReadModels(pool);
    const writer = new TaskWriter(store, randomUUID());
    const actors = cast();
    let projector = startProjectorProcess(database.url);
    let kills = 0;
    // Appends flow without a break until the last kill, so kills land while the projector
    // catches up after a restart and while it follows the log live.
    const streaming = (async () => {
      for (let wave = 0; kills < 5; wave++) {
        await appendWorkload(writer, store, actors, 20, Date.UTC(2025, 10, 3, 8) + wave * 86_400_000);
      }
    })();
    while (kills < 5) {
      await projector.said('"msg":"projecting"');
      await pause(50 + ((kills * 379) % 400));
      projector.child.kill('SIGKILL');
      await exited(projector.child);
      kills++;
      projector = startProjectorProcess(database.url);
    }
    await streaming;
    // The last one runs to the end and is stopped politely: it finishes its batch and says so.
    await waitForCheckpoint(pool, await endOfLog(pool), 60_000);
    await projector.said('"msg":"projecting"');
    projector.child.kill('SIGTERM');
    await exited(projector.child);
    await projector.said('"msg":"projector stopped"');

    const afterKills = await snapshotReadModels(pool);
    expect(afterKills.inbox.length).toBeGreaterThan(200);
    expect(afterKills).toEqual(await projectUninterrupted());
  });
});

// The real apps/projector entry point, compiled on the fly with SWC as Jest does (tools/jest/transform.js).
const root = join(__dirname, '../../../..');
const boot = `
const { transformSync } = require('@swc/core');
const { readFileSync } = require('node:fs');
require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(readFileSync(filename, 'utf8'), {
    filename,
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
      baseUrl: ${JSON.stringify(root)},
      paths: { '@taskinbox/*': ['libs/*/src/index.ts'] },
    },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};
require('./apps/projector/src/main.ts');
`;

const children = new Set<ChildProcess>();

/** The projector app in a child process, and a way to wait for a line of its (JSON) log. */
function startProjectorProcess(databaseUrl: string): { child: ChildProcess; said(text: string): Promise<void> } {
  const child = spawn(process.execPath, ['-e', boot], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.add(child);
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return {
    child,
    async said(text) {
      while (!output.includes(text)) await pause(10);
    },
  };
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
