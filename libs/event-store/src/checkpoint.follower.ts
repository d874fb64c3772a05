import { Client, type Pool } from 'pg';
import type { EventStore, RecordedEvent, Subscription } from './event-store';
import { Pause } from './pause';

export interface CheckpointFollowerOptions {
  /** Source of connection settings: the follower opens one session of its own from them. */
  pool: Pool;
  store: EventStore;
  /** Its row in projection_checkpoints, and the name of its advisory lock. */
  name: string;
  /** Reacts to a batch; must be safe to repeat (a crash after it and before the checkpoint repeats it). */
  handle: (events: RecordedEvent[]) => Promise<void>;
  onError: (error: unknown) => void;
  retryMs?: number;
}

/**
 * Follows the event log for a reactor whose effects happen outside the database transaction
 * (commands, queues): each batch is handled, then the checkpoint moves, so every event is
 * handled at least once. One instance per database follows (an advisory lock on its own
 * connection); the others wait and take over when it goes.
 */
export class CheckpointFollower {
  private stopping = false;
  private running?: Promise<void>;
  private subscription?: Subscription;
  private readonly pauses = new Pause();

  constructor(private readonly options: CheckpointFollowerOptions) {}

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
    const { name } = this.options;
    while (!this.stopping) {
      const client = new Client({ ...this.options.pool.options, application_name: `taskinbox ${name}` });
      client.on('error', () => undefined);
      try {
        await client.connect();
        const { rows } = await client.query<{ locked: boolean }>(
          'SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked',
          [`taskinbox.follower.${name}`],
        );
        if (rows[0].locked) await this.follow(client);
      } catch (error) {
        if (!this.stopping) this.options.onError(error);
      } finally {
        await client.end().catch(() => undefined);
      }
      await this.pause();
    }
  }

  private async follow(client: Client): Promise<void> {
    const { name } = this.options;
    await client.query(
      'INSERT INTO projection_checkpoints (name, position) VALUES ($1, NULL) ON CONFLICT (name) DO NOTHING',
      [name],
    );
    const stored = await client.query<{ position: string | null }>(
      'SELECT position FROM projection_checkpoints WHERE name = $1',
      [name],
    );
    let position = stored.rows[0].position;
    const subscription = this.options.store.subscribeToAll(
      async (events) => {
        await this.options.handle(events);
        const to = events[events.length - 1].position;
        const moved = await client.query(
          `UPDATE projection_checkpoints SET position = $1, updated_at = now()
           WHERE name = $2 AND position IS NOT DISTINCT FROM $3`,
          [to, name, position],
        );
        if (moved.rowCount !== 1) throw new Error(`checkpoint '${name}' moved under the follower`);
        position = to;
      },
      { after: position ?? undefined, batchSize: 100 },
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

  private pause(): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return this.pauses.wait(this.options.retryMs ?? 1000);
  }
}
