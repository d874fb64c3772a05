import { Client, DatabaseError, type Pool, type PoolClient } from 'pg';
import type { Logger } from 'pino';
import type { EventStore, LoggedEvent } from '@taskinbox/event-store';
import { readModelsUpdatedChannel } from '@taskinbox/read-models';
import {
  type ProjectionTarget,
  foldOnStored,
  liveProjection,
  moveCheckpoint,
  readCheckpoint,
  writeBatch,
} from './read-model.projection';
import { copyRows } from './read-model.copy';
import { type BulkReplay, insertFacts, replayInBulk } from './read-model.replay';
import { type ProjectedRows, type StoredTask, inboxColumns } from './read-model.rows';
import { ReadModelStatements, type SqlClient, quote, shadowTables } from './read-model.tables';
import { type Step, runSchedule } from './session.schedule';

export interface RebuildOptions {
  /** Source of connection settings: the rebuild runs on one session of its own. */
  pool: Pool;
  store: EventStore;
  logger: Logger;
  /** Events per read of the log: 10,000 in the bulk replay, 2,000 per shadow transaction after it. */
  batchSize?: number;
  /** Bytes of events (as stored) per read: 64 MiB in the bulk replay, 16 MiB after it; a larger single event goes alone. */
  batchBytes?: number;
  /** Most tasks the bulk replay holds in memory before it writes them out. Default 100,000. */
  maxTasks?: number;
  /** How long the swap waits for readers of the live tables before it backs off and retries. Default 2000 ms. */
  lockTimeoutMs?: number;
  /** Swap attempts before giving up. Default 20. */
  swapAttempts?: number;
}

export interface RebuildResult {
  /** Events replayed (of every stream). */
  events: number;
  /** The checkpoint the live projection continues from. */
  position: string | null;
  seconds: number;
}

const shadowProjection: ProjectionTarget = {
  checkpoint: `${liveProjection.checkpoint}:rebuild`,
  statements: new ReadModelStatements(shadowTables),
  notify: false,
};

// Kept by triggers on the facts (migration 0110): filled from the shadow facts after the bulk replay.
const rollupTables = { live: 'resolution_rollups', shadow: 'resolution_rollups_rebuild' };

const tablePairs = [
  ...(['inbox', 'timeline', 'facts'] as const).map((key) => ({
    live: liveProjection.statements.tables[key],
    shadow: shadowTables[key],
  })),
  rollupTables,
];

/** An index of a live table, the name its shadow copy is built under, and how (null: with its constraint). */
interface IndexCopy {
  live: string;
  shadow: string;
  definition: string | null;
}

/**
 * Replays the whole log into shadow copies of the read-model tables, then swaps them in with
 * one transaction: readers see the old tables until the commit and the new ones after it,
 * never an empty or half-built inbox. The live projector keeps running throughout; the swap
 * holds its checkpoint row (which every live batch updates first), applies the last events to
 * the shadow, renames the tables and moves the live checkpoint to the shadow's, so the live
 * projector's next batch fails its compare-and-swap, reloads the checkpoint and carries on.
 */
export async function rebuildReadModels(options: RebuildOptions): Promise<RebuildResult> {
  const { logger } = options;
  const started = performance.now();
  const client = new Client({ ...options.pool.options, application_name: 'taskinbox read-model rebuild' });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const { rows } = await client.query<{ locked: boolean }>(
      'SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked',
      [`taskinbox.projection.${shadowProjection.checkpoint}`],
    );
    if (!rows[0].locked) throw new Error('Another read-model rebuild is running.');
    try {
      const replay = new Replay(client, options);
      const indexes = await createShadowTables(client);
      logger.info('rebuild: replaying the event log into shadow tables');
      const bulk = await replayInBulk(client, shadowProjection, {
        ...options,
        batchSize: options.batchSize ?? 10_000,
        batchBytes: options.batchBytes ?? 64 * 1024 * 1024,
        maxTasks: options.maxTasks ?? 100_000,
      });
      Object.assign(replay, { position: bulk.position, events: bulk.events });
      logger.info({ events: replay.events }, 'rebuild: replayed; writing the tasks and building indexes');
      await onSessions(client, options.pool, finishingSteps(bulk.rows, indexes));
      if (bulk.position !== null) await moveCheckpoint(client, shadowProjection, null, bulk.position);
      // From here on the shadow facts keep the shadow rollups as the live ones do (the catch-up and the swap write them).
      await copyTriggers(client);
      await replay.catchUp();
      logger.info({ events: replay.events }, 'rebuild: caught up; swapping tables');
      await swap(client, replay, indexes, options);
      const seconds = (performance.now() - started) / 1000;
      logger.info({ events: replay.events, position: replay.position, seconds }, 'rebuild: done');
      return { events: replay.events, position: replay.position, seconds };
    } catch (error) {
      await dropShadowTables(client).catch(() => undefined);
      throw error;
    }
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The shadow projection's progress through the log. */
class Replay {
  position: string | null = null;
  events = 0;
  private readonly batchSize: number;
  private readonly batchBytes: number;

  constructor(
    private readonly client: Client,
    private readonly options: RebuildOptions,
  ) {
    this.batchSize = options.batchSize ?? 2000;
    this.batchBytes = options.batchBytes ?? 16 * 1024 * 1024;
  }

  /**
   * Applies batches, one transaction each, until the log has nothing more to give. Pipelined
   * so that this process and the database work at the same time: while batch N is written,
   * batch N+1 is read and folded. Its tasks that N touches are taken from N's folded rows;
   * the others are loaded from the database, where N does not change them.
   */
  async catchUp(): Promise<void> {
    let next = this.read(this.position);
    let writing: Promise<void> = Promise.resolve();
    let known = new Map<string, StoredTask>();
    let from = this.position;
    for (;;) {
      const events = await next;
      if (events.length === 0) break;
      next = this.read(events[events.length - 1].position);
      // Settled here so a failure below does not leave them unhandled; awaiting them still throws.
      next.catch(() => undefined);
      const rows = await foldOnStored(this.options.pool, shadowProjection, events, known);
      await writing;
      const to = events[events.length - 1].position;
      writing = this.commit(rows, from, to, events.length);
      writing.catch(() => undefined);
      known = new Map(
        rows.inbox.map((row) => [
          row.task_id,
          { state: row.state, commentCount: row.comment_count, attachmentCount: row.attachment_count },
        ]),
      );
      from = to;
    }
    await writing;
  }

  private async commit(rows: ProjectedRows, from: string | null, to: string, events: number): Promise<void> {
    await this.client.query('BEGIN');
    try {
      await moveCheckpoint(this.client, shadowProjection, from, to);
      await shadowProjection.statements.writeRows(this.client, rows);
      await this.client.query('COMMIT');
    } catch (error) {
      await this.client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
    this.position = to;
    this.events += events;
  }

  /** Like catchUp, inside the caller's transaction. */
  async catchUpInTransaction(): Promise<void> {
    for (;;) {
      const events = await this.read(this.position);
      if (events.length === 0) return;
      this.position = await writeBatch(this.client, shadowProjection, events, this.position);
      this.events += events.length;
    }
  }

  read(after: string | null): Promise<LoggedEvent[]> {
    return this.options.store.readAllWithoutMetadata({ after: after ?? undefined, maxCount: this.batchSize, maxBytes: this.batchBytes });
  }
}

const lockNotAvailable = '55P03';

async function swap(client: Client, replay: Replay, indexes: IndexCopy[][], options: RebuildOptions): Promise<void> {
  const attempts = options.swapAttempts ?? 20;
  for (let attempt = 1; ; attempt++) {
    const before = { position: replay.position, events: replay.events };
    await client.query('BEGIN');
    try {
      await client.query(`SET LOCAL lock_timeout = ${Math.round(options.lockTimeoutMs ?? 2000)}`);
      // The lock every live batch takes first (its checkpoint compare-and-swap): from here on
      // live batches wait, and the end of the log can only be applied to the shadow.
      await readCheckpoint(client, liveProjection.checkpoint);
      const { rows } = await client.query<{ position: string | null }>(
        'SELECT position FROM projection_checkpoints WHERE name = $1 FOR UPDATE',
        [liveProjection.checkpoint],
      );
      await replay.catchUpInTransaction();
      // The log a reader sees only grows, so this holds; checked because swapping would
      // otherwise take the inbox back in time.
      const live = rows[0].position;
      if ((replay.position ?? '') < (live ?? '')) {
        throw new Error(
          `The rebuilt read models (at ${replay.position}) are behind the live ones (at ${live}); not swapping.`,
        );
      }
      await replaceLiveTables(client, indexes);
      await client.query('UPDATE projection_checkpoints SET position = $1, updated_at = now() WHERE name = $2', [
        replay.position,
        liveProjection.checkpoint,
      ]);
      await client.query('DELETE FROM projection_checkpoints WHERE name = $1', [shadowProjection.checkpoint]);
      await client.query('SELECT pg_notify($1, $2)', [readModelsUpdatedChannel, replay.position ?? '']);
      await client.query('COMMIT');
      return;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      Object.assign(replay, before);
      if (!(error instanceof DatabaseError && error.code === lockNotAvailable) || attempt >= attempts) throw error;
      options.logger.info({ attempt }, 'rebuild: live tables busy; retrying the swap');
      await replay.catchUp();
    }
  }
}

/** Empty shadow tables shaped like the live ones, with their primary keys (the upserts need them). */
async function createShadowTables(db: SqlClient): Promise<IndexCopy[][]> {
  await dropShadowTables(db);
  await db.query(
    'INSERT INTO projection_checkpoints (name, position) VALUES ($1, NULL) ON CONFLICT (name) DO UPDATE SET position = NULL',
    [shadowProjection.checkpoint],
  );
  const copies: IndexCopy[][] = [];
  for (const { live, shadow } of tablePairs) {
    // Defaults, generated columns, CHECK and NOT NULL constraints come along; indexes are added below.
    await db.query(`CREATE TABLE ${quote(shadow)} (LIKE ${quote(live)} INCLUDING ALL EXCLUDING INDEXES)`);
    const { rows } = await db.query<{ name: string; index_def: string; constraint_def: string | null }>(
      `SELECT c.relname AS name, pg_get_indexdef(c.oid) AS index_def, pg_get_constraintdef(k.oid) AS constraint_def
       FROM pg_index i
       JOIN pg_class c ON c.oid = i.indexrelid
       LEFT JOIN pg_constraint k ON k.conindid = i.indexrelid AND k.conrelid = i.indrelid
       WHERE i.indrelid = $1::regclass
       ORDER BY c.relname`,
      [live],
    );
    const tableCopies: IndexCopy[] = [];
    for (const row of rows) {
      const name = `${row.name.slice(0, 55)}_rebuild`;
      if (row.constraint_def !== null) {
        await db.query(`ALTER TABLE ${quote(shadow)} ADD CONSTRAINT ${quote(name)} ${row.constraint_def}`);
        tableCopies.push({ live: row.name, shadow: name, definition: null });
      } else {
        // "CREATE [UNIQUE] INDEX name ON [ONLY] schema.table USING …": the same index, on the shadow.
        const definition = row.index_def.replace(
          /^(CREATE (?:UNIQUE )?INDEX )\S+ ON (?:ONLY )?\S+ /,
          `$1${quote(name)} ON ${quote(shadow)} `,
        );
        tableCopies.push({ live: row.name, shadow: name, definition });
      }
    }
    copies.push(tableCopies);
  }
  return copies;
}

/** The live tables' triggers, on their shadows; they keep their names (a trigger's name is per table). */
async function copyTriggers(db: SqlClient): Promise<void> {
  for (const { live, shadow } of tablePairs) {
    const { rows } = await db.query<{ definition: string }>(
      `SELECT pg_get_triggerdef(oid) AS definition FROM pg_trigger WHERE tgrelid = $1::regclass AND NOT tgisinternal ORDER BY tgname`,
      [live],
    );
    for (const { definition } of rows) {
      // "CREATE TRIGGER name AFTER … ON schema.table …": the same trigger, on the shadow.
      await db.query(definition.replace(/ ON (?:ONLY )?\S+ /, ` ON ${quote(shadow)} `));
    }
  }
}

/**
 * What follows the replay, as one schedule: the tasks' inbox and facts rows (unless the replay
 * spilled and wrote them), the rollups filled from the facts, each table's ANALYZE, and the
 * secondary indexes (built once, after the rows: cheaper than maintaining them row by row).
 * ANALYZE and CREATE INDEX lock each other out of a table, so a table's ANALYZE comes as soon
 * as its rows are in and its indexes after it: the many small builds, not one long ANALYZE,
 * are what is left at the end for the sessions to share.
 */
function finishingSteps(rows: BulkReplay['rows'], indexes: IndexCopy[][]): Step<Client>[] {
  const [inbox, , facts] = indexes.map((table) =>
    table
      .flatMap(({ shadow, definition }) => (definition === null ? [] : [{ name: shadow, definition }]))
      // GIN builds take longest: first, so that the sessions end together.
      .sort((a, b) => Number(b.definition.includes(' USING gin ')) - Number(a.definition.includes(' USING gin '))),
  );
  const analyze = (table: string, after: string[]): Step<Client> => ({
    name: `analyze ${table}`,
    after,
    run: (db) => db.query(`ANALYZE ${quote(table)}`),
  });
  const builds = (table: string, list: { name: string; definition: string }[]): Step<Client>[] =>
    list.map(({ name, definition }) => ({ name, after: [`analyze ${table}`], run: (db) => db.query(definition) }));
  const rollups = rollupTables.shadow;
  // Only timeline rows to forget: deleted tasks have no inbox or facts rows here (take() leaves them out).
  const forgotten = rows ? ['forget'] : [];
  // The inbox, the largest table, in parts on as many sessions: PostgreSQL takes in each on a core of its own.
  const inboxParts = Array.from({ length: finishingSessions }, (_, part) => ({
    name: `inbox rows ${part + 1}`,
    rows: rows?.inbox.filter((_, index) => index % finishingSessions === part) ?? [],
  }));
  // Written by the replay already when it spilled.
  const written = (...names: string[]): string[] => (rows ? [...names, ...forgotten] : []);
  return [
    ...(rows
      ? [
          ...inboxParts.map((part) => ({
            name: part.name,
            run: (db: Client) => copyRows(db, shadowTables.inbox, inboxColumns, part.rows),
          })),
          { name: 'forget', run: (db: Client) => shadowProjection.statements.forget(db, rows) },
          { name: 'facts rows', run: (db: Client) => insertFacts(db, shadowProjection, rows.facts) },
        ]
      : []),
    analyze(shadowTables.inbox, written(...inboxParts.map(({ name }) => name))),
    analyze(shadowTables.facts, written('facts rows')),
    {
      name: 'rollups',
      after: written('facts rows'),
      run: (db) => db.query('SELECT stats_rollups_fill($1, $2)', [shadowTables.facts, rollups]),
    },
    analyze(shadowTables.timeline, forgotten),
    ...builds(shadowTables.inbox, inbox),
    ...builds(shadowTables.facts, facts),
    analyze(rollups, ['rollups']),
  ];
}

/** Runs `steps` on the rebuild's session and on more from the pool, `finishingSessions` in all. */
async function onSessions(client: Client, pool: Pool, steps: Step<Client>[]): Promise<void> {
  const others: PoolClient[] = [];
  let failed = false;
  try {
    for (let count = 1; count < finishingSessions; count++) others.push(await pool.connect());
    await runSchedule([client, ...others], steps);
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    // One a step failed on may be in the middle of a COPY: not given back.
    for (const other of others) other.release(failed);
  }
}

/** Sessions the schedule after the replay runs on. */
const finishingSessions = 2;

/** Inside the swap transaction: the live tables go, the shadows take their names and their indexes' names. */
async function replaceLiveTables(db: SqlClient, indexes: IndexCopy[][]): Promise<void> {
  for (const [table, { live, shadow }] of tablePairs.entries()) {
    await db.query(`DROP TABLE ${quote(live)}`);
    await db.query(`ALTER TABLE ${quote(shadow)} RENAME TO ${quote(live)}`);
    // Renaming a constraint's index renames the constraint too.
    for (const copy of indexes[table])
      await db.query(`ALTER INDEX ${quote(copy.shadow)} RENAME TO ${quote(copy.live)}`);
  }
}

async function dropShadowTables(db: SqlClient): Promise<void> {
  await db.query(`DROP TABLE IF EXISTS ${tablePairs.map(({ shadow }) => quote(shadow)).join(', ')}`);
}
