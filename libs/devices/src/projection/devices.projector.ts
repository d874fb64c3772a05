import { Client, type Pool } from 'pg';
import type { Logger } from 'pino';
import { type EventStore, Pause, type RecordedEvent, type Subscription } from '@taskinbox/event-store';
import { devicesChangedChannel, projectDeviceEvents } from './devices.rows';

const checkpoint = 'devices';

/**
 * Keeps the devices' read models (device_views, run_views, run_action_views) from the event log.
 * Each batch and the checkpoint (projection_checkpoints 'devices') commit together, so a crash
 * neither skips nor repeats an event; the checkpoint is compared and swapped, so two instances
 * can never both apply a batch. One instance per database works at a time (an advisory lock on
 * its own connection); the others wait.
 */
export class DevicesProjector {
  private stopping = false;
  private running?: Promise<void>;
  private subscription?: Subscription;
  private readonly pauses = new Pause();

  constructor(
    private readonly pool: Pool,
    private readonly store: EventStore,
    private readonly logger: Logger,
    private readonly retryMs = 1000,
  ) {}

  start(): void {
    this.running ??= this.loop();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.pauses.end();
    await this.subscription?.close();
    await this.running;
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      const client = new Client({ ...this.pool.options, application_name: 'taskinbox devices projection' });
      client.on('error', () => undefined);
      try {
        await client.connect();
        await client.query(`SET idle_in_transaction_session_timeout = '30s'`);
        const { rows } = await client.query<{ locked: boolean }>(
          'SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked',
          [`taskinbox.projection.${checkpoint}`],
        );
        if (rows[0].locked) await this.follow(client);
      } catch (error) {
        if (!this.stopping) this.logger.error({ err: error }, 'devices projection failed; starting again');
      } finally {
        await client.end().catch(() => undefined);
      }
      await this.pause();
    }
  }

  private async follow(client: Client): Promise<void> {
    await client.query(
      'INSERT INTO projection_checkpoints (name, position) VALUES ($1, NULL) ON CONFLICT (name) DO NOTHING',
      [checkpoint],
    );
    const stored = await client.query<{ position: string | null }>(
      'SELECT position FROM projection_checkpoints WHERE name = $1',
      [checkpoint],
    );
    let position = stored.rows[0].position;
    const subscription = this.store.subscribeToAll(
      async (events) => {
        position = await this.apply(client, events, position);
      },
      { after: position ?? undefined, batchSize: 500, batchBytes: 4 * 1024 * 1024 },
    );
    this.subscription = subscription;
    if (this.stopping) await subscription.close();
    const lost = new Promise<never>((_, reject) => client.once('end', () => reject(new Error('connection lost'))));
    lost.catch(() => undefined);
    try {
      await Promise.race([subscription.done, lost]);
    } finally {
      await subscription.close();
      this.subscription = undefined;
    }
  }

  private async apply(client: Client, events: RecordedEvent[], from: string | null): Promise<string> {
    const to = events[events.length - 1].position;
    await client.query('BEGIN');
    try {
      const moved = await client.query(
        `UPDATE projection_checkpoints SET position = $1, updated_at = now()
         WHERE name = $2 AND position IS NOT DISTINCT FROM $3`,
        [to, checkpoint, from],
      );
      if (moved.rowCount !== 1) throw new Error(`checkpoint '${checkpoint}' moved under the projection`);
      const touched = await projectDeviceEvents(client, events);
      for (const org of touched) {
        await client.query('SELECT pg_notify($1, $2)', [devicesChangedChannel, JSON.stringify({ org })]);
      }
      await client.query('COMMIT');
      return to;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  private pause(): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return this.pauses.wait(this.retryMs);
  }
}
