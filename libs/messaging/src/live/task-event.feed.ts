import type { NatsConnection } from '@nats-io/transport-node';
import type { Logger } from 'pino';
import type { TaskEventEnvelope } from '../events/event-envelope';
import { type NatsNames, orgEventsSubject } from '../events/event-subjects';
import { checkTaskEvent } from '../events/task-event.check';
import { countDropped } from '../events/task-event.metrics';

/**
 * Live task events of one organisation, as the relay publishes them, over core NATS: no
 * history and no acks, which suits screens that load current state and then follow changes.
 * Each message is checked against its schema and subject (checkTaskEvent); others are dropped.
 * One NATS connection per process, opened when the app starts (open) so that the first
 * screen to subscribe does not wait on, or fail with, a cold connect; opened again on the next
 * use after it closed for good.
 */
export class TaskEventFeed {
  private connection?: Promise<NatsConnection>;
  private closing = false;

  constructor(
    private readonly connect: () => Promise<NatsConnection>,
    private readonly names: NatsNames,
    private readonly logger: Logger,
  ) {}

  /** Connects ahead of the first subscriber. A failure is logged, not thrown: the next subscribe tries again. */
  async open(): Promise<void> {
    await this.connected().catch(() => undefined);
  }

  /**
   * Calls `onEvent` for every event of `orgId` published after this resolves, until the
   * returned function is called. Rejects when NATS cannot be reached.
   */
  async subscribe(orgId: string, onEvent: (envelope: TaskEventEnvelope) => void): Promise<() => void> {
    const nc = await this.connected();
    const subscription = nc.subscribe(orgEventsSubject(this.names.events, orgId), {
      callback: (error, message) => {
        if (error) return void this.logger.warn({ err: error, orgId }, 'live task event subscription failed');
        const checked = checkTaskEvent(message.subject, message.data, this.names);
        if (checked.rejection) {
          countDropped('live', checked.rejection);
          return void this.logger.warn(
            { subject: message.subject, reason: checked.rejection, problem: checked.problem },
            'task event dropped: it does not match its schema or subject',
          );
        }
        onEvent(checked.envelope);
      },
    });
    try {
      // Once the server has answered the flush it knows the subscription: nothing published later is missed.
      await nc.flush();
    } catch (error) {
      subscription.unsubscribe();
      throw error;
    }
    return () => subscription.unsubscribe();
  }

  async close(): Promise<void> {
    this.closing = true;
    const connection = this.connection;
    this.connection = undefined;
    const nc = await connection?.catch(() => undefined);
    await nc?.close();
  }

  private connected(): Promise<NatsConnection> {
    if (this.closing) return Promise.reject(new Error('The task event feed is closed.'));
    if (this.connection) return this.connection;
    const attempt = this.connect().then(
      (nc) => {
        // A connection closed for good (not one that is reconnecting) is replaced on next use.
        void nc.closed().then(() => {
          if (this.connection === attempt) this.connection = undefined;
        });
        return nc;
      },
      (error: unknown) => {
        if (this.connection === attempt) this.connection = undefined;
        this.logger.warn({ err: error }, 'cannot reach NATS for live task events');
        throw error;
      },
    );
    this.connection = attempt;
    return attempt;
  }
}
