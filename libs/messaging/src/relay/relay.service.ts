import { jetstream, type JetStreamClient, jetstreamManager } from '@nats-io/jetstream';
import { headers as natsHeaders, type MsgHdrs, type NatsConnection } from '@nats-io/transport-node';
import { type Context, type Span, SpanKind, trace } from '@opentelemetry/api';
import {
  contextOfCarrier,
  correlationIdAttribute,
  injectIntoNatsHeaders,
  messagingAttributes,
  recordFailure,
  tracer,
  tracingEnabled,
} from '@taskinbox/telemetry';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { type EventStore, Pause, type RecordedEvent, type Subscription } from '@taskinbox/event-store';
import { correlationIdHeader, isSloStream, isTaskStream, sloTaskType, type TaskEventEnvelope, toEnvelope } from '../events/event-envelope';
import { type NatsNames, natsNames, taskEventSubject } from '../events/event-subjects';
import { RelayLease } from './relay.lease';
import { defaultEventsMaxAgeMs, ensureTaskEventsStream } from './task-events.stream';
import { TaskTypeCache } from './task-type.cache';

export interface RelayOptions {
  /**
   * The installation's NATS prefix (NATS_SUBJECT_PREFIX); default taskinbox. Events go to
   * `<prefix>.events.<orgId>.<EventType>.<taskType>`, kept by the stream `<PREFIX>_EVENTS`.
   */
  prefix?: string;
  /**
   * How long the stream keeps an event; default 30 days. Consumers (webhooks) replay from the
   * stream, and the event store stays the source of truth for anything older.
   */
  maxAgeMs?: number;
  /** Copies of the stream a JetStream cluster keeps (NATS_STREAM_REPLICAS); default 1. */
  replicas?: number;
  /** Events read and published per round; default 100. */
  batchSize?: number;
  /** How often a standby relay tries to take over; default 5 s. */
  standbyPollMs?: number;
  /** Waits between attempts after a failure, doubling from min to max; default 0.5 s to 30 s. */
  retryMinMs?: number;
  retryMaxMs?: number;
  /** How long to wait for a PubAck; default 10 s. */
  publishTimeoutMs?: number;
}

export interface RelayDependencies {
  store: EventStore;
  /** Its settings open the relay's own lease connection. */
  pool: Pool;
  /** Opens a fresh NATS connection; called again after a connection was lost. */
  connectNats: () => Promise<NatsConnection>;
  logger: Logger;
}

/** 'retrying': waiting after a failure, without the lease. */
export type RelayRole = 'stopped' | 'starting' | 'standby' | 'active' | 'retrying';

/** Name of the relay's row in projection_checkpoints and of its advisory lock. */
export const relayCheckpointName = 'relay';

// Headers (Nats-Msg-Id, x-correlation-id, traceparent) and protocol overhead count against the server's max_payload too.
const payloadHeadroomBytes = 4096;

/**
 * Publishes every task event of the event store to JetStream, in log order, from its own
 * checkpoint. A batch is published concurrently and the checkpoint moves only once every
 * PubAck is in, so a crash re-sends at most one batch; the event id is the message id, so
 * JetStream drops those re-sent copies (within its 2-minute duplicate window). Only the relay
 * holding the lease publishes; others stand by. Any failure (NATS, PostgreSQL) ends the round,
 * and the relay starts again from the checkpoint after a growing pause.
 */
export class RelayService {
  private readonly options: Required<Omit<RelayOptions, 'prefix'>>;
  private readonly names: NatsNames;
  private readonly logger: Logger;
  private readonly taskTypes: TaskTypeCache;
  private currentRole: RelayRole = 'stopped';
  private running?: Promise<void>;
  private stopping = false;
  private stopped: Promise<void> = Promise.resolve();
  private signalStop: () => void = () => undefined;
  private readonly pauses = new Pause();

  constructor(
    private readonly deps: RelayDependencies,
    options: RelayOptions = {},
  ) {
    this.names = natsNames(options.prefix ?? 'taskinbox');
    this.options = {
      maxAgeMs: options.maxAgeMs ?? defaultEventsMaxAgeMs,
      replicas: options.replicas ?? 1,
      batchSize: options.batchSize ?? 100,
      standbyPollMs: options.standbyPollMs ?? 5000,
      retryMinMs: options.retryMinMs ?? 500,
      retryMaxMs: options.retryMaxMs ?? 30_000,
      publishTimeoutMs: options.publishTimeoutMs ?? 10_000,
    };
    this.logger = deps.logger.child({ component: 'relay', stream: this.names.stream });
    this.taskTypes = new TaskTypeCache(deps.store);
  }

  get role(): RelayRole {
    return this.currentRole;
  }

  /** Starts relaying in the background; failures are logged and retried, never thrown. */
  start(): void {
    if (this.running) return;
    this.stopping = false;
    this.stopped = new Promise((resolve) => (this.signalStop = resolve));
    this.currentRole = 'starting';
    this.running = this.run();
  }

  /** Lets the batch in flight finish (publish and checkpoint), then releases NATS and the lease. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.stopping = true;
    this.signalStop();
    this.pauses.end();
    await this.running;
    this.running = undefined;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      try {
        const lease = await RelayLease.acquire(this.deps.pool, relayCheckpointName);
        if (!lease) {
          if (this.currentRole !== 'standby') this.logger.info('another relay is active; standing by');
          this.currentRole = 'standby';
          await this.pause(this.options.standbyPollMs);
          continue;
        }
        this.currentRole = 'active';
        try {
          await this.relay(lease, () => (failures = 0));
        } finally {
          await lease.release();
        }
      } catch (error) {
        // The lease is given up while waiting, so a standby may take over meanwhile.
        this.currentRole = 'retrying';
        failures += 1;
        const retryInMs = this.backoff(failures);
        this.logger.warn({ err: error, failures, retryInMs }, 'relay interrupted; resuming from the checkpoint');
        await this.pause(retryInMs);
      }
    }
    this.currentRole = 'stopped';
    this.logger.info('relay stopped');
  }

  /** One round as the active relay; returns when asked to stop, throws when anything fails. */
  private async relay(lease: RelayLease, onProgress: () => void): Promise<void> {
    const nc = await this.deps.connectNats();
    let subscription: Subscription | undefined;
    try {
      const { mismatch } = await ensureTaskEventsStream(await jetstreamManager(nc), this.names, {
        maxAgeMs: this.options.maxAgeMs,
        replicas: this.options.replicas,
      });
      if (mismatch) this.logger.warn(mismatch);
      const js = jetstream(nc, { timeout: this.options.publishTimeoutMs });
      const after = await lease.checkpoint();
      const maxBytes = (nc.info?.max_payload ?? 1024 * 1024) - payloadHeadroomBytes;
      this.logger.info({ after: after ?? 'start' }, 'relay active');
      subscription = this.deps.store.subscribeToAll(
        async (events) => {
          await this.publish(js, events, maxBytes);
          await lease.saveCheckpoint(events[events.length - 1].position);
          onProgress();
        },
        { after, batchSize: this.options.batchSize },
      );
      const interruption = await Promise.race([
        subscription.done.then(() => undefined),
        nc.closed().then((error) => error ?? new Error('The NATS connection was closed.')),
        lease.lost,
        this.stopped.then(() => undefined),
      ]);
      if (interruption) throw interruption;
    } finally {
      await subscription?.close();
      await nc.close().catch(() => undefined);
    }
  }

  /** Publishes the batch's task (and SLO) events concurrently and resolves once JetStream has acknowledged all. */
  private async publish(js: JetStreamClient, events: RecordedEvent[], maxBytes: number): Promise<void> {
    const messages: { subject: string; body: string; id: string; event: RecordedEvent }[] = [];
    // In order and one at a time: a TaskCreated teaches the cache the type of the events after it.
    for (const event of events) {
      if (isSloStream(event.streamId)) {
        const envelope = toEnvelope(event, sloTaskType(event));
        messages.push({ subject: taskEventSubject(this.names.events, envelope), body: this.encode(envelope, maxBytes), id: envelope.id, event });
        continue;
      }
      if (!isTaskStream(event.streamId)) continue;
      let taskType = await this.taskTypes.typeOf(event);
      if (taskType === undefined) {
        this.logger.error(
          { eventId: event.id, streamId: event.streamId },
          'task stream does not start with TaskCreated',
        );
        taskType = 'unknown';
      }
      const envelope = toEnvelope(event, taskType);
      messages.push({
        subject: taskEventSubject(this.names.events, envelope),
        body: this.encode(envelope, maxBytes),
        id: envelope.id,
        event,
      });
    }
    // Every publish settles before this returns, so none of them outlives a failed round.
    const results = await Promise.allSettled(
      messages.map((message) => {
        const headers = natsHeaders();
        // Consumers see which request caused the event without parsing the body.
        headers.set(correlationIdHeader, message.event.metadata.correlationId);
        if (!tracingEnabled()) return js.publish(message.subject, message.body, { msgID: message.id, headers });
        return this.publishTraced(js, message, headers);
      }),
    );
    const failure = results.find((result) => result.status === 'rejected');
    if (failure) throw failure.reason;
    const duplicates = results.filter((result) => result.status === 'fulfilled' && result.value.duplicate).length;
    if (duplicates > 0) this.logger.info({ duplicates }, 'JetStream dropped events re-sent after an interruption');
  }

  /**
   * One producer span per event, a child of the append that recorded it (its trace context is in
   * the event's metadata): the relay publishes because of that append, only later and in another
   * process, and the gap between the two spans is the relay's lag. A re-sent batch adds a second
   * publish span to the same trace, as it happened. The span's context goes on in the message's
   * headers (`traceparent`), for the consumers.
   */
  private async publishTraced(
    js: JetStreamClient,
    message: { subject: string; body: string; id: string; event: RecordedEvent },
    headers: MsgHdrs,
  ): Promise<Awaited<ReturnType<JetStreamClient['publish']>>> {
    const parent: Context = contextOfCarrier(message.event.metadata);
    const span: Span = tracer().startSpan(
      `publish ${this.names.stream}`,
      {
        kind: SpanKind.PRODUCER,
        attributes: {
          [messagingAttributes.system]: 'nats',
          [messagingAttributes.operationType]: 'send',
          [messagingAttributes.destination]: message.subject,
          [messagingAttributes.messageId]: message.id,
          [messagingAttributes.conversationId]: message.event.metadata.correlationId,
          [correlationIdAttribute]: message.event.metadata.correlationId,
          'taskinbox.event_type': message.event.type,
          'taskinbox.position': message.event.position,
        },
      },
      parent,
    );
    injectIntoNatsHeaders(headers, trace.setSpan(parent, span));
    try {
      const ack = await js.publish(message.subject, message.body, { msgID: message.id, headers });
      if (ack.duplicate) span.setAttribute('taskinbox.duplicate', true);
      return ack;
    } catch (error) {
      recordFailure(span, error);
      throw error;
    } finally {
      span.end();
    }
  }

  private encode(envelope: TaskEventEnvelope, maxBytes: number): string {
    const body = JSON.stringify(envelope);
    if (Buffer.byteLength(body) <= maxBytes) return body;
    // A message NATS refuses would stop the relay for good; consumers read such a task over the API.
    this.logger.warn(
      { eventId: envelope.id, bytes: Buffer.byteLength(body) },
      'event too large for NATS; published without its data',
    );
    return JSON.stringify({ ...envelope, data: null, dataOmitted: true } satisfies TaskEventEnvelope);
  }

  private backoff(failures: number): number {
    const { retryMinMs, retryMaxMs } = this.options;
    const delay = Math.min(retryMaxMs, retryMinMs * 2 ** Math.min(failures - 1, 20));
    // Jitter, so relays restarted together do not retry in step.
    return Math.round(delay * (0.8 + Math.random() * 0.4));
  }

  /** Waits `ms`, or less when stop() is called. */
  private pause(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return this.pauses.wait(ms);
  }
}
