import type { LoggedEvent } from '@taskinbox/event-store';
import { readModelsCheckpoint, readModelsUpdatedChannel } from '@taskinbox/read-models';
import { type ProjectedRows, type StoredTask, foldBatch, taskIdOf } from './read-model.rows';
import { ReadModelStatements, type SqlClient, liveTables } from './read-model.tables';


/** Where a projection writes: its tables and its row in projection_checkpoints. */
export interface ProjectionTarget {
  checkpoint: string;
  statements: ReadModelStatements;
  /** Whether committed batches NOTIFY readers (the live tables only). */
  notify: boolean;
}

export const liveProjection: ProjectionTarget = {
  checkpoint: readModelsCheckpoint,
  statements: new ReadModelStatements(liveTables),
  notify: true,
};

/** Someone else moved the checkpoint since it was read: the batch was rolled back. */
export class CheckpointMoved extends Error {
  constructor(
    readonly checkpoint: string,
    readonly expected: string | null,
  ) {
    super(`Checkpoint '${checkpoint}' is no longer at ${expected ?? 'the start'}.`);
    this.name = 'CheckpointMoved';
  }
}

/** Makes sure the checkpoint row exists (at the start of the log when new) and returns its position. */
export async function readCheckpoint(db: SqlClient, checkpoint: string): Promise<string | null> {
  await db.query(
    'INSERT INTO projection_checkpoints (name, position) VALUES ($1, NULL) ON CONFLICT (name) DO NOTHING',
    [checkpoint],
  );
  const { rows } = await db.query<{ position: string | null }>(
    'SELECT position FROM projection_checkpoints WHERE name = $1',
    [checkpoint],
  );
  return rows[0].position;
}

/**
 * Applies one batch in one transaction together with its checkpoint, so a crash at any point
 * leaves either all of it or none. Returns the new checkpoint; throws CheckpointMoved (after
 * rolling back) when the checkpoint is no longer at `from`.
 */
export async function applyBatch(
  db: SqlClient,
  target: ProjectionTarget,
  events: readonly LoggedEvent[],
  from: string | null,
): Promise<string> {
  await db.query('BEGIN');
  try {
    const position = await writeBatch(db, target, events, from);
    await db.query('COMMIT');
    return position;
  } catch (error) {
    // On a broken connection this fails too; the server has rolled back already.
    await db.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** applyBatch's work inside a transaction the caller runs (the rebuild's swap uses it). */
export async function writeBatch(
  db: SqlClient,
  target: ProjectionTarget,
  events: readonly LoggedEvent[],
  from: string | null,
): Promise<string> {
  const to = events[events.length - 1].position;
  // First, so that a concurrent writer of the checkpoint (another instance, a rebuild's swap)
  // is waited for before this batch reads any state.
  await moveCheckpoint(db, target, from, to);
  const rows = await foldOnStored(db, target, events);
  await target.statements.writeRows(
    db,
    rows,
    target.notify ? { channel: readModelsUpdatedChannel, payload: to } : undefined,
  );
  return to;
}

/** Compare-and-swap of the checkpoint from `from` to `to`; CheckpointMoved when it is not at `from`. */
export async function moveCheckpoint(
  db: SqlClient,
  target: ProjectionTarget,
  from: string | null,
  to: string,
): Promise<void> {
  const { rowCount } = await db.query(
    `UPDATE projection_checkpoints SET position = $1, updated_at = now()
     WHERE name = $2 AND position IS NOT DISTINCT FROM $3`,
    [to, target.checkpoint, from],
  );
  if (rowCount !== 1) throw new CheckpointMoved(target.checkpoint, from);
}

/**
 * The rows `events` change: the tasks they touch are loaded in one statement and folded on.
 * Tasks in `known` are taken from there instead (the rebuild passes those of a batch that is
 * still being written).
 */
export async function foldOnStored(
  db: SqlClient,
  target: ProjectionTarget,
  events: readonly LoggedEvent[],
  known: ReadonlyMap<string, StoredTask> = new Map(),
): Promise<ProjectedRows> {
  const taskIds = new Set(events.map((event) => taskIdOf(event.streamId)).filter((id) => id !== undefined));
  const missing = [...taskIds].filter((id) => !known.has(id));
  const stored = missing.length > 0 ? await target.statements.loadTasks(db, missing) : new Map<string, StoredTask>();
  for (const id of taskIds) {
    const task = known.get(id);
    if (task) stored.set(id, task);
  }
  return foldBatch(events, stored);
}
