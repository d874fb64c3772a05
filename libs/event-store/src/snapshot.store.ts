import type { Pool } from 'pg';

/** A stream's fold up to and including `revision`. */
export interface Snapshot<State> {
  state: State;
  revision: bigint;
}

/**
 * Snapshots of folds in PostgreSQL (migration 0040), whichever store holds the streams, so
 * that loading a long stream reads only what came after its snapshot. Only a cache of a fold
 * of immutable events: a row may go at any time, and one made by another version of the fold
 * is ignored.
 */
export class SnapshotStore {
  constructor(private readonly pool: Pool) {}

  async read<State>(streamId: string, version: number): Promise<Snapshot<State> | undefined> {
    const { rows } = await this.pool.query<{ state: State; revision: string }>({
      name: 'snapshot_read',
      text: 'SELECT state, revision::text AS revision FROM stream_snapshots WHERE stream_id = $1 AND version = $2',
      values: [streamId, version],
    });
    return rows[0] && { state: rows[0].state, revision: BigInt(rows[0].revision) };
  }

  /** Keeps the newer of this and the stored snapshot (of this version). */
  async write<State>(streamId: string, version: number, snapshot: Snapshot<State>): Promise<void> {
    await this.pool.query({
      name: 'snapshot_write',
      text: `INSERT INTO stream_snapshots AS s (stream_id, version, revision, state) VALUES ($1, $2, $3, $4)
             ON CONFLICT (stream_id) DO UPDATE SET version = EXCLUDED.version, revision = EXCLUDED.revision,
               state = EXCLUDED.state, updated_at = now()
             WHERE s.version <> EXCLUDED.version OR s.revision < EXCLUDED.revision`,
      values: [streamId, version, snapshot.revision.toString(), JSON.stringify(snapshot.state)],
    });
  }
}
