import type { Pool } from 'pg';
import type { EventStore } from '@taskinbox/event-store';
import type { Clock } from '../devices.clock';
import { runStreamName } from '../pure';

const finished = `('succeeded', 'failed', 'missed', 'cancelled')`;

/**
 * Deletes finished runs past their job's retention: older than retention_days, or beyond the
 * newest retention_count of the job on each device. The run's stream goes from the event store
 * and its rows from the read models; runs still going are never touched.
 */
export class RunRetention {
  constructor(
    private readonly pool: Pool,
    private readonly store: EventStore,
    private readonly clock: Clock,
  ) {}

  /** One pass; answers how many runs were deleted. */
  async sweep(batch = 500): Promise<number> {
    let deleted = 0;
    for (;;) {
      const { rows } = await this.pool.query<{ run_id: string }>(
        `SELECT r.run_id FROM (
           SELECT r.run_id, r.at, j.retention_days,
                  row_number() OVER (PARTITION BY r.job_id, r.device_id ORDER BY r.at DESC, r.run_id DESC) AS newest,
                  j.retention_count
             FROM run_views r JOIN jobs j ON j.id = r.job_id
            WHERE r.status IN ${finished}
         ) r
         WHERE r.at < $1::timestamptz - make_interval(days => r.retention_days) OR r.newest > r.retention_count
         LIMIT $2`,
        [this.clock.now(), batch],
      );
      if (rows.length === 0) return deleted;
      const ids = rows.map((row) => row.run_id);
      for (const id of ids) await this.store.deleteStream(runStreamName(id));
      await this.pool.query('DELETE FROM run_views WHERE run_id = ANY($1::uuid[])', [ids]);
      deleted += ids.length;
      if (rows.length < batch) return deleted;
    }
  }
}
