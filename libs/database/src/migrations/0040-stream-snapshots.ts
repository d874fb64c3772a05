import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Snapshots of a stream's fold (libs/event-store SnapshotStore), so that loading a long task
 * stream reads only the events after its snapshot. A cache: any row may be deleted at any
 * time; a row made by another version of the fold is ignored.
 */
export class StreamSnapshots0000000000040 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE stream_snapshots (
        stream_id text PRIMARY KEY,
        -- the fold's version (e.g. libs/domain TASK_STATE_VERSION): other versions are ignored
        version integer NOT NULL,
        -- the stream's revision the state includes (0-based)
        revision bigint NOT NULL,
        state jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE stream_snapshots');
  }
}
