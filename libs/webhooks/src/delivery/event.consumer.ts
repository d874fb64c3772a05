import { AckPolicy, type ConsumerMessages, DeliverPolicy, jetstream, JetStreamApiCodes, JetStreamApiError, jetstreamManager, type JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { ROOT_CONTEXT, type Span, SpanKind, trace } from '@opentelemetry/api';
import type { Logger } from 'pino';
import { setTimeout as sleep } from 'node:timers/promises';
import { checkTaskEvent, correlationIdHeader, countDropped, type NatsNames, type TaskEventEnvelope } from '@taskinbox/messaging';
import {
  activeTraceCarrier,
  contextOfNatsHeaders,
  correlationIdAttribute,
  messagingAttributes,
  tracer,
  tracingEnabled,
} from '@taskinbox/telemetry';
import type { DeliveryQueueService } from './delivery-queue.service';
import type { DeliveryJobContext } from './webhook.jobs';
import type { DeliveryFanOut } from './delivery.fan-out';

/** How soon JetStream offers a deferred event again. */
const deferRedeliveryMs = 500;

/** A new consumer reaches back this far before the service started, for clock skew with the NATS server; rows are unique per (endpoint, event), so an overlap adds nothing twice. */
const startSkewMs = 60_000;

/**
 * Durable JetStream pull consumer: task events become delivery rows in PostgreSQL, and only
 * then are the messages acked; their first attempts are enqueued after, a job per batch (the
 * sweeper covers a lost enqueue once the rows' lease expires, or at once if the enqueue
 * failed). Messages that arrive while a batch is being recorded wait in a buffer and go
 * together in the next one (one INSERT, one addBulk), so the cost per event falls as the
 * rate rises. A failure naks the message so JetStream redelivers it; rows are unique per
 * (endpoint, event), so redelivery adds nothing twice.
 */
export class WebhookEventConsumer {
  private nc?: NatsConnection;
  private messages?: ConsumerMessages;
  private stopping = false;
  private readonly stopped = new AbortController();
  private running?: Promise<void>;
  private failures = 0;
  /** Received, not yet recorded; bounded by the consumer's max_ack_pending. */
  private readonly buffer: JsMsg[] = [];
  private draining?: Promise<void>;
  private startedAt = new Date();
  /** Traced only: each message's process span, from its arrival until it is settled. */
  private readonly spans = new Map<JsMsg, Span>();

  constructor(
    private readonly connect: () => Promise<NatsConnection>,
    private readonly settings: { names: NatsNames; consumerName: string; consumerBatchSize: number },
    private readonly fanOut: DeliveryFanOut,
    private readonly queue: DeliveryQueueService,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.startedAt = new Date();
    this.running ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.stopped.abort();
    await this.messages?.close();
    await this.running;
    await this.draining;
    await this.nc?.close().catch(() => undefined);
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      try {
        this.nc ??= await this.connect();
        const jsm = await jetstreamManager(this.nc);
        const { names, consumerName, consumerBatchSize } = this.settings;
        await jsm.consumers.info(names.stream, consumerName).catch(() =>
          jsm.consumers.add(names.stream, {
            durable_name: consumerName,
            ack_policy: AckPolicy.Explicit,
            // A new consumer starts when this service started, not when it first reached the
            // stream: events the relay published while the stream was still missing here
            // (the webhooks service started first) are not skipped.
            deliver_policy: DeliverPolicy.StartTime,
            opt_start_time: new Date(this.startedAt.getTime() - startSkewMs).toISOString(),
            filter_subject: `${names.events}.>`,
            max_ack_pending: 1000,
          }),
        );
        const consumer = await jetstream(this.nc).consumers.get(names.stream, consumerName);
        this.messages = await consumer.consume({ max_messages: consumerBatchSize, callback: (message) => this.receive(message) });
        if (this.stopping) await this.messages.close();
        const closedWith = await this.messages.closed();
        if (closedWith) throw closedWith;
      } catch (error) {
        if (this.stopping) break;
        this.failures += 1;
        const waitMs = Math.min(30_000, 250 * 2 ** this.failures);
        // A fresh deployment: the relay creates the stream with its first round; nothing is wrong yet.
        if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound)
          this.logger.info({ stream: this.settings.names.stream, waitMs }, 'webhook event consumer waiting for the relay to create the stream');
        else this.logger.warn({ err: error, waitMs }, 'webhook event consumer interrupted; resuming');
        // stop() ends this wait at once: a close must not sit out a backoff of up to 30 s.
        await sleep(waitMs, undefined, { signal: this.stopped.signal }).catch(() => undefined);
      }
    }
  }

  private receive(message: JsMsg): void {
    if (tracingEnabled()) this.spans.set(message, this.startSpan(message));
    this.buffer.push(message);
    this.draining ??= this.drain();
  }

  private async drain(): Promise<void> {
    try {
      while (this.buffer.length > 0) {
        const batch = this.buffer.splice(0, this.settings.consumerBatchSize);
        await this.handle(batch).catch((error: unknown) => {
          for (const message of batch) this.endSpan(message);
          this.logger.warn({ err: error }, 'webhook event batch not acked; JetStream redelivers it');
        });
      }
    } finally {
      // Runs in the same tick as the last emptiness check, so no message is left behind.
      this.draining = undefined;
    }
  }

  private async handle(batch: readonly JsMsg[]): Promise<void> {
    const events: { message: JsMsg; envelope: TaskEventEnvelope }[] = [];
    for (const message of batch) {
      // Nothing in a body is trusted: its organisation, event type and task type must be its subject's.
      const checked = checkTaskEvent(message.subject, message.data, this.settings.names);
      if (checked.envelope) {
        events.push({ message, envelope: checked.envelope });
      } else {
        countDropped('webhooks', checked.rejection);
        this.spans.get(message)?.setAttribute('taskinbox.outcome', 'dropped');
        this.logger.warn(
          { subject: message.subject, seq: message.seq, reason: checked.rejection, problem: checked.problem },
          'task event dropped: it does not match its schema or subject',
        );
        // No reason given: NATS servers before 2.10 ignore a `+TERM <reason>`; the log says why.
        message.term();
      }
    }
    let created: string[] = [];
    // Acked once recorded; deferred ones (an earlier event of their task not recorded yet) come again shortly.
    const settle = (message: JsMsg, deferred: Set<string>, id: string) => {
      this.spans.get(message)?.setAttribute('taskinbox.outcome', deferred.has(id) ? 'deferred' : 'recorded');
      return deferred.has(id) ? message.nak(deferRedeliveryMs) : message.ack();
    };
    const eventOf = new Map<string, string>();
    try {
      const outcome = await this.fanOut.fanOut(events.map((event) => event.envelope));
      created = outcome.created;
      for (const [deliveryId, eventId] of outcome.eventOf) eventOf.set(deliveryId, eventId);
      for (const { message, envelope } of events) settle(message, outcome.deferred, envelope.id);
      this.failures = 0;
    } catch (error) {
      if (events.length === 1) {
        this.rejectOne(events[0], error);
      } else {
        // One bad event must not hold back the rest of its batch: record them one by one.
        for (const event of events) {
          try {
            const outcome = await this.fanOut.fanOut([event.envelope]);
            created.push(...outcome.created);
            for (const [deliveryId, eventId] of outcome.eventOf) eventOf.set(deliveryId, eventId);
            settle(event.message, outcome.deferred, event.envelope.id);
          } catch (single) {
            this.rejectOne(event, single);
          }
        }
      }
    }
    const contexts = tracingEnabled() ? this.jobContexts(events, eventOf) : undefined;
    for (const message of batch) this.endSpan(message);
    this.queue
      .enqueueFirst(created.map((deliveryId) => ({ deliveryId, ...contexts?.get(deliveryId) })))
      .catch(async (error: unknown) => {
        this.logger.warn({ err: error }, 'enqueue failed; the sweeper will retry');
        await this.fanOut.release(created).catch(() => undefined);
      });
  }

  /**
   * A process span per message, a child of the relay's publish span (the message's
   * `traceparent`), so one trace runs from the request through the relay to here.
   */
  private startSpan(message: JsMsg): Span {
    const correlationId = message.headers?.get(correlationIdHeader) || undefined;
    return tracer().startSpan(
      `process ${this.settings.names.stream}`,
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          [messagingAttributes.system]: 'nats',
          [messagingAttributes.operationType]: 'process',
          [messagingAttributes.destination]: message.subject,
          [messagingAttributes.messageId]: message.headers?.get('Nats-Msg-Id') || undefined,
          [messagingAttributes.conversationId]: correlationId,
          [correlationIdAttribute]: correlationId,
          'messaging.consumer.group.name': this.settings.consumerName,
        },
      },
      contextOfNatsHeaders(message.headers),
    );
  }

  private endSpan(message: JsMsg): void {
    this.spans.get(message)?.end();
    this.spans.delete(message);
  }

  /** Each new delivery's job carries the trace context of the message its event came in. */
  private jobContexts(
    events: readonly { message: JsMsg; envelope: TaskEventEnvelope }[],
    eventOf: ReadonlyMap<string, string>,
  ): Map<string, DeliveryJobContext> {
    const byEvent = new Map(events.map((event) => [event.envelope.id, event]));
    const contexts = new Map<string, DeliveryJobContext>();
    for (const [deliveryId, eventId] of eventOf) {
      const event = byEvent.get(eventId);
      const span = event && this.spans.get(event.message);
      if (event && span) {
        contexts.set(deliveryId, { trace: activeTraceCarrier(trace.setSpan(ROOT_CONTEXT, span)), correlationId: event.envelope.correlationId });
      }
    }
    return contexts;
  }

  private rejectOne(event: { message: JsMsg; envelope: TaskEventEnvelope }, error: unknown): void {
    const code = (error as { code?: unknown }).code;
    // A data exception (bad uuid, timestamp, number) or a missing field is the event's own
    // fault and would fail forever; anything else (the database away) may pass next time.
    if (typeof code === 'string' && (code.startsWith('22') || code === '23502')) {
      this.logger.error({ err: error, eventId: event.envelope.id, seq: event.message.seq }, 'task event cannot be recorded; skipped');
      this.spans.get(event.message)?.setAttribute('taskinbox.outcome', 'skipped');
      event.message.term();
      return;
    }
    this.logger.warn({ err: error, eventId: event.envelope.id }, 'could not record webhook deliveries; redelivering');
    this.spans.get(event.message)?.setAttribute('taskinbox.outcome', 'redelivered');
    event.message.nak(1000);
  }
}
