import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * How far readers of the log may read: below the oldest transaction still running in this
 * database (which could yet commit events at smaller positions), or everything committed when
 * none runs. pg_snapshot_xmin alone counts every database of the cluster, so a long
 * transaction of another application on a shared server held every reader back.
 *
 * A running transaction counts unless pg_stat_activity shows it in another database: one that
 * ended meanwhile, one hidden from this role, or a prepared one still holds readers back, which
 * errs on the safe side (a transaction never changes database; xids are compared modulo 2^32,
 * as pg_stat_activity shows them).
 */
export class EventReadHorizon0000000000122 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE FUNCTION es_read_horizon() RETURNS xid8 LANGUAGE sql STABLE AS $$
        SELECT coalesce(min(running), pg_snapshot_xmax(pg_current_snapshot()))
        FROM pg_snapshot_xip(pg_current_snapshot()) AS running
        WHERE NOT EXISTS (
          SELECT 1 FROM pg_stat_get_activity(NULL) AS other
          WHERE other.datid <> (SELECT oid FROM pg_database WHERE datname = current_database())
            AND other.backend_xid::text::bigint = running::text::bigint % 4294967296)
      $$`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP FUNCTION es_read_horizon()');
  }
}
