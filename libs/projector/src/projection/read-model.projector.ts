import { SpanKind } from '@opentelemetry/api';
import { Client, type Pool } from 'pg';
import type { Logger } from 'pino';
import { type EventStore, Pause, type RecordedEvent, type Subscription } from '@taskinbox/event-store';
import { contextOfCarrier, correlationIdAttribute, recordFailure, tracer, tracingEnabled } from '@taskinbox/telemetry';
import { CheckpointMoved, applyBatch, liveProjection, readCheckpoint } from './read-model.projection';

export interface ReadModelProjectorOptions {
  /** Source of connection settings: the projector opens one session of its own from them. */
  pool: Pool;
  store: EventStore;
  logger: Logger;
  /** Most events applied in one transaction (catching up reads full batches). Default 500. */
  batchSize?: number;
  /**
   * Most bytes of events (as stored) read for one transaction. Default 4 MiB. A larger single
   * event is applied alone.
   */
  batchBytes?: number;
  /** How often a standby instance tries to take over, and the pause after a failure. Default 1000 ms. */
  retryMs?: number;
}

export type ProjectorState = 'idle' | 'standby' | 'active' | 'stopped';

/**
 * Keeps the read models up to date from the event log. One instance per database is active:
 * it holds a session advisory lock on its own connection and runs every batch on that same
 * connection, so losing the connection loses the lock and the open batch together. Others
 * wait on standby. Correctness does not rest on the lock: each batch compares and swaps the
 * checkpoint, so a batch that raced another writer rolls back and the projection resumes from
 * the stored checkpoint.
 */
export class ReadModelProjector {
  private readonly batchSize: number;
  private readonly batchBytes: number;
  private readonly retryMs: number;
  private readonly target = liveProjection;
  private currentState: ProjectorState = 'idle';
  private applied = 0;
  private running?: Promise<void>;
  private stopping = false;
  private subscription?: Subscription;
  private readonly pauses = new Pause();

  constructor(private readonly options: ReadModelProjectorOptions) {
    this.batchSize = options.batchSize ?? 500;
    this.batchBytes = options.batchBytes ?? 4 * 1024 * 1024;
    this.retryMs = options.retryMs ?? 1000;
  }

  get state(): ProjectorState {
    return this.currentState;
  }

  /** Events this instance has applied (committed) since it started. */
  get eventsApplied(): number {
    return this.applied;
  }

  /** Starts in the background; failures are logged and retried, never thrown. */
  start(): void {
    this.running ??= this.run();
  }

  /** Lets the running batch finish, then releases the lock and the connection. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.pauses.end();
    await this.subscription?.close();
    await this.running;
    this.currentState = 'stopped';
    this.options.logger.info({ eventsApplied: this.applied }, 'projector stopped');
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      const client = new Client({
        ...this.options.pool.options,
        application_name: `taskinbox projector (${this.target.checkpoint})`,
      });
      // Errors surface through the next query; without a listener an idle failure would crash the process.
      client.on('error', () => undefined);
      try {
        await client.connect();
        await this.session(client);
      } catch (error) {
        if (this.stopping) break;
        this.options.logger.error({ err: error }, 'projection failed; reconnecting');
        await this.pause(this.retryMs);
      } finally {
        // Ending the session releases the advisory lock.
        await client.end().catch(() => undefined);
        if (this.currentState === 'active') this.currentState = 'idle';
      }
    }
  }

  private async session(client: Client): Promise<void> {
    const { logger } = this.options;
    // A batch transaction left open (a hung process) would hold back every reader of the log.
    await client.query(`SET idle_in_transaction_session_timeout = '30s'`);
    while (!(await this.tryLock(client))) {
      if (this.currentState !== 'standby') logger.info('another projector is active; standing by');
      this.currentState = 'standby';
      await this.pause(this.retryMs);
      if (this.stopping) return;
    }
    this.currentState = 'active';
    while (!this.stopping) {
      const from = await readCheckpoint(client, this.target.checkpoint);
      logger.info({ checkpoint: this.target.checkpoint, position: from }, 'projecting');
      try {
        await this.follow(client, from);
      } catch (error) {
        if (!(error instanceof CheckpointMoved)) throw error;
        logger.warn(
          { checkpoint: this.target.checkpoint },
          'checkpoint moved by another writer (a rebuild?); reloading it',
        );
      }
    }
  }

  private async tryLock(client: Client): Promise<boolean> {
    const { rows } = await client.query<{ locked: boolean }>(
      'SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked',
      [`taskinbox.projection.${this.target.checkpoint}`],
    );
    return rows[0].locked;
  }

  /** Applies batches from `from` until stopped (resolves) or until something fails (rejects). */
  private async follow(client: Client, from: string | null): Promise<void> {
    let position = from;
    const subscription = this.options.store.subscribeToAll(
      async (events) => {
        const spans = tracingEnabled() ? projectionSpans(events) : [];
        try {
          position = await applyBatch(client, this.target, events, position);
        } catch (error) {
          for (const span of spans) recordFailure(span, error);
          throw error;
        } finally {
          for (const span of spans) span.end();
        }
        this.applied += events.length;
      },
      { after: from ?? undefined, batchSize: this.batchSize, batchBytes: this.batchBytes },
    );
    this.subscription = subscription;
    if (this.stopping) await subscription.close();
    // An idle subscription would not notice that the lock went with the connection.
    let onEnd!: () => void;
    const lost = new Promise<never>((_, reject) => {
      onEnd = () => reject(new Error('projector connection lost'));
      client.once('end', onEnd);
    });
    try {
      await Promise.race([subscription.done, lost]);
    } finally {
      client.off('end', onEnd);
      await subscription.close();
      this.subscription = undefined;
    }
  }

  private pause(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return this.pauses.wait(ms);
  }
}

/**
 * One span per event, a child of the append that recorded it (the trace context in its
 * metadata), from when the batch is read until it commits: that is when the read models show
 * the event. Events of one batch commit together, so their spans cover the same time.
 */
function projectionSpans(events: readonly RecordedEvent[]) {
  return events.map((event) =>
    tracer().startSpan(
      'project event',
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          'taskinbox.event_type': event.type,
          'taskinbox.position': event.position,
          'taskinbox.batch_size': events.length,
          [correlationIdAttribute]: event.metadata.correlationId,
        },
      },
      contextOfCarrier(event.metadata),
    ),
  );
}
