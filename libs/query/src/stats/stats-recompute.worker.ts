import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource, type EntityManager } from 'typeorm';
import { InjectLogger } from '@taskinbox/http';

export type RecomputeState = 'idle' | 'queued' | 'running' | 'done' | 'failed';

/** Where an organisation's business-hours recompute is: `done` of `total` resolved tasks. */
export interface RecomputeProgress {
  state: RecomputeState;
  done: number;
  total: number;
}

/** Resolved tasks recomputed per transaction: short enough that the projector is never held back long. */
const chunkSize = 5000;
/** How often queued recomputes are looked for (another instance may have taken the request). */
const pollMs = 2000;
/** A 'running' recompute not heard of for this long lost its worker (a crash) and is taken over. */
const staleAfter = '1 minute';

/**
 * A calendar change, done in the background: the business-hours duration of every resolved task
 * of the organisation is recomputed in chunks (progress in stats_recomputes), then the
 * organisation's rollups are regrouped at once (its local days may have moved with its zone).
 * Until it is done, stats for the organisation are read from the facts, not the rollups.
 * Any instance of the query service may run it: a request is claimed with SKIP LOCKED, and a
 * newer calendar (a higher generation) makes a running one stop and start over.
 */
@Injectable()
export class StatsRecomputeWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopping = false;
  private readonly logger: Logger;

  constructor(
    private readonly dataSource: DataSource,
    @InjectLogger() logger: Logger,
  ) {
    this.logger = logger.child({ component: 'stats-recompute' });
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.kick(), pollMs);
    this.timer.unref();
    this.kick();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    await this.running;
  }

  /**
   * Queues a recompute for `orgId` in the caller's transaction (the one that changes the
   * calendar), so stats switch to the facts exactly when the new calendar shows. Returns how many
   * resolved tasks it will go through.
   */
  async queue(db: EntityManager, orgId: string): Promise<number> {
    const [{ total }]: { total: number }[] = await db.query(
      `SELECT count(*)::int AS total FROM task_facts WHERE org_id = $1 AND resolved_at IS NOT NULL`,
      [orgId],
    );
    await db.query(
      `INSERT INTO stats_recomputes (org_id, state, done, total) VALUES ($1, 'queued', 0, $2)
       ON CONFLICT (org_id) DO UPDATE SET generation = stats_recomputes.generation + 1, state = 'queued', done = 0,
         total = EXCLUDED.total, requested_at = now(), updated_at = now()`,
      [orgId, total],
    );
    return total;
  }

  async progress(orgId: string): Promise<RecomputeProgress> {
    const rows: RecomputeProgress[] = await this.dataSource.query(
      'SELECT state, done, total FROM stats_recomputes WHERE org_id = $1',
      [orgId],
    );
    return rows[0] ?? { state: 'idle', done: 0, total: 0 };
  }

  /** Runs queued recomputes now (after a calendar change commits) unless a run is under way. */
  kick(): void {
    if (this.running || this.stopping) return;
    this.running = this.drain()
      .catch((error: unknown) => this.logger.error({ err: error }, 'stats recompute failed'))
      .finally(() => {
        this.running = undefined;
      });
  }

  private async drain(): Promise<void> {
    while (!this.stopping) {
      // An UPDATE answers [rows, affected] through TypeORM.
      const [claimed]: [{ org_id: string; generation: number }[], number] = await this.dataSource.query(
        `UPDATE stats_recomputes SET state = 'running', updated_at = now()
         WHERE org_id = (SELECT org_id FROM stats_recomputes
                         WHERE state = 'queued' OR (state = 'running' AND updated_at < now() - interval '${staleAfter}')
                         ORDER BY requested_at LIMIT 1 FOR UPDATE SKIP LOCKED)
         RETURNING org_id, generation`,
      );
      if (claimed.length === 0) return;
      const [{ org_id: orgId, generation }] = claimed;
      try {
        await this.recompute(orgId, generation);
      } catch (error) {
        this.logger.error({ err: error, orgId }, 'stats recompute failed');
        await this.dataSource.query(
          `UPDATE stats_recomputes SET state = 'failed', updated_at = now() WHERE org_id = $1 AND generation = $2`,
          [orgId, generation],
        );
      }
    }
  }

  private async recompute(orgId: string, generation: number): Promise<void> {
    const started = performance.now();
    // Waits out projector batches that began before the calendar changed (they read the old one);
    // every later batch computes its facts with the new calendar.
    await this.dataSource.transaction((db) => db.query('LOCK TABLE task_facts IN SHARE ROW EXCLUSIVE MODE'));
    let after = { resolvedAt: '-infinity', taskId: '00000000-0000-0000-0000-000000000000' };
    for (;;) {
      if (this.stopping) return; // left 'running': the next start takes it over once stale
      const last: { resolved_at: string; task_id: string } | undefined = await this.dataSource.transaction(async (db) => {
        const [chunk]: { n: number; resolved_at: string | null; task_id: string | null }[] = await db.query(
          `WITH chunk AS (
             SELECT task_id, resolved_at FROM task_facts
             WHERE org_id = $1 AND resolved_at IS NOT NULL AND (resolved_at, task_id) > ($2::timestamptz, $3::uuid)
             ORDER BY resolved_at, task_id LIMIT ${chunkSize}
           ),
           updated AS (
             UPDATE task_facts f
             SET business_seconds = business_seconds(f.created_at, f.resolved_at, c.time_zone, c.working_days, c.day_start, c.day_end)
             FROM chunk, org_calendars c
             WHERE f.task_id = chunk.task_id AND c.org_id = $1
           )
           -- Text keeps the microseconds a Date would lose.
           SELECT (SELECT count(*)::int FROM chunk) AS n, l.resolved_at::text AS resolved_at, l.task_id::text AS task_id
           FROM (SELECT NULL) AS one
           LEFT JOIN (SELECT resolved_at, task_id FROM chunk ORDER BY resolved_at DESC, task_id DESC LIMIT 1) AS l ON true`,
          [orgId, after.resolvedAt, after.taskId],
        );
        const [, moved]: [unknown, number] = await db.query(
          `UPDATE stats_recomputes SET done = least(total, done + $3), updated_at = now() WHERE org_id = $1 AND generation = $2`,
          [orgId, generation, chunk.n],
        );
        // A newer calendar came in: this chunk still counts (it used the newest calendar), the rest is the new run's.
        return moved === 0 || chunk.n === 0 ? undefined : { resolved_at: chunk.resolved_at!, task_id: chunk.task_id! };
      });
      if (!last) break;
      after = { resolvedAt: last.resolved_at, taskId: last.task_id };
    }
    // The rollups regrouped in the organisation's (maybe new) zone, in one transaction: the
    // projector's triggers wait on the same lock, so no batch lands between the delete and the fill.
    const finished = await this.dataSource.transaction(async (db) => {
      await db.query(`SELECT pg_advisory_xact_lock(hashtextextended('taskinbox.rollups.' || $1, 0))`, [orgId]);
      await db.query('DELETE FROM resolution_rollups WHERE org_id = $1', [orgId]);
      await db.query(`SELECT stats_rollups_fill('task_facts', 'resolution_rollups', $1)`, [orgId]);
      const [, moved]: [unknown, number] = await db.query(
        `UPDATE stats_recomputes SET state = 'done', done = total, updated_at = now() WHERE org_id = $1 AND generation = $2`,
        [orgId, generation],
      );
      return moved === 1;
    });
    this.logger.info({ orgId, finished, ms: Math.round(performance.now() - started) }, 'stats recompute ran');
  }
}
