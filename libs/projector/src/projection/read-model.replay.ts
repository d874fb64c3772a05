import type { Client, Pool } from 'pg';
import type { Logger } from 'pino';
import type { EventStore, LoggedEvent } from '@taskinbox/event-store';
import { CopyWriter, copyRows } from './read-model.copy';
import type { ProjectionTarget } from './read-model.projection';
import {
  type FactRow,
  type ProjectedRows,
  type StoredTask,
  TaskFolds,
  factColumns,
  taskIdOf,
  timelineColumns,
} from './read-model.rows';
import { definitions, quote } from './read-model.tables';

export interface BulkReplayOptions {
  store: EventStore;
  /** Reads of the log and of spilled tasks go through the pool, while `client` writes. */
  pool: Pool;
  logger: Logger;
  /** Events and bytes (as stored) per read of the log. */
  batchSize: number;
  batchBytes: number;
  /** Most tasks held in memory; past it, they are written out and loaded again when needed. */
  maxTasks: number;
}

export interface BulkReplay {
  /** Where the log ended; the caller moves the target's checkpoint there. */
  position: string | null;
  events: number;
  /**
   * The inbox and facts rows of every task, each once, and the tasks to forget: for the caller
   * to write (COPY the rows, insertFacts, forget) beside its other work on the tables. Null
   * when the replay spilled: it has written them itself.
   */
  rows: Omit<ProjectedRows, 'timeline'> | null;
}

/**
 * The bulk of a rebuild: the whole log folded in memory, its timeline rows written with COPY
 * into the target's (empty, freshly created) tables as they are folded, one COPY per read.
 * Reading, folding and writing overlap: the next read arrives while a read is folded, and the
 * server takes in its timeline rows meanwhile. A log with more than `maxTasks` tasks spills:
 * the tasks held so far are upserted into the tables and loaded back when a later event needs
 * them.
 */
export async function replayInBulk(
  client: Client,
  target: ProjectionTarget,
  options: BulkReplayOptions,
): Promise<BulkReplay> {
  const { tables } = target.statements;
  let loaded = new Map<string, StoredTask>();
  const folds = new TaskFolds((taskId) => loaded.get(taskId));
  let spilled = false;
  let position: string | null = null;
  let events = 0;
  const read = (after: string | null): Promise<LoggedEvent[]> =>
    options.store.readAllWithoutMetadata({ after: after ?? undefined, maxCount: options.batchSize, maxBytes: options.batchBytes });

  let next = read(position);
  // The COPY of the page before: it ends on the server while this page is folded.
  let writing: Promise<unknown> = Promise.resolve();
  for (;;) {
    const page = await next;
    if (page.length === 0) break;
    next = read(page[page.length - 1].position);
    // Settled here so a failure below does not leave it unhandled; awaiting it still throws.
    next.catch(() => undefined);
    if (spilled) loaded = await loadSpilled(options.pool, target, folds, page);
    // A COPY per page, each row encoded as soon as it is folded (it dies young). Not one for the
    // whole log: readers of the log see only events older than the oldest running transaction,
    // so a long one would hold the live projector back until it ends.
    const timeline = new CopyWriter(client, tables.timeline, timelineColumns);
    try {
      for (let index = 0; index < page.length; index++) {
        // Now and then the socket is read: the server sends the next page while this one is folded,
        // where a full socket would hold it back until the fold ends.
        if (index % yieldEvery === yieldEvery - 1) await new Promise(setImmediate);
        const row = folds.apply(page[index]);
        const full = row && timeline.write(row);
        if (full) await full;
      }
      await writing;
    } catch (error) {
      // Ended, so that the session is free for the caller's clean-up.
      await timeline.end().catch(() => undefined);
      throw error;
    }
    writing = timeline.end();
    writing.catch(() => undefined);
    position = page[page.length - 1].position;
    events += page.length;
    if (folds.size > options.maxTasks) {
      await writing;
      await target.statements.writeRows(client, { ...folds.take(), timeline: [] });
      spilled = true;
      options.logger.info({ events }, 'rebuild: tasks spilled to the shadow tables');
    }
  }
  await writing;

  const rows = folds.take();
  if (!spilled) return { position, events, rows };
  await target.statements.writeRows(client, { ...rows, timeline: [] });
  return { position, events, rows: null };
}

/**
 * Facts get their durations in SQL (business hours need the org's calendar): staged with COPY,
 * then inserted into the target's (empty) facts table, in one transaction that drops the stage.
 */
export async function insertFacts(session: Client, target: ProjectionTarget, facts: readonly FactRow[]): Promise<void> {
  const stage = `${target.statements.tables.facts}_stage`;
  await session.query('BEGIN');
  try {
    await session.query(`CREATE TEMPORARY TABLE ${quote(stage)} (${definitions(factColumns)}) ON COMMIT DROP`);
    await copyRows(session, stage, factColumns, facts);
    await target.statements.insertFacts(session, stage);
    await session.query('COMMIT');
  } catch (error) {
    await session.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** Events folded between two looks at the sockets. */
const yieldEvery = 500;

/** Spilled tasks that `page` touches and that are not in memory, loaded from the target's tables. */
async function loadSpilled(
  pool: Pool,
  target: ProjectionTarget,
  folds: TaskFolds,
  page: readonly LoggedEvent[],
): Promise<Map<string, StoredTask>> {
  const ids = new Set<string>();
  for (const event of page) {
    const taskId = taskIdOf(event.streamId);
    if (taskId !== undefined && !folds.has(taskId)) ids.add(taskId);
  }
  return ids.size > 0 ? target.statements.loadTasks(pool, [...ids]) : new Map();
}
