import { AckPolicy, type ConsumerMessages, DeliverPolicy, jetstream, jetstreamManager, type JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Logger } from 'pino';
import type { TaskEventEnvelope } from '@taskinbox/messaging';
import type { DeliveryQueueService } from './delivery-queue.service';
import type { DeliveryService } from './delivery.service';

/**
 * Durable JetStream pull consumer: each task event becomes delivery rows in PostgreSQL, and
 * only then is the message acked; the jobs are enqueued after (the sweeper covers a lost
 * enqueue). A failure naks the message so JetStream redelivers it; rows are unique per
 * (endpoint, event), so redelivery adds nothing twice.
 */
export class WebhookEventConsumer {
  private nc?: NatsConnection;
  private messages?: ConsumerMessages;
  private stopping = false;
  private running?: Promise<void>;

  constructor(
    private readonly connect: () => Promise<NatsConnection>,
    private readonly settings: { streamName: string; subjectPrefix: string; consumerName: string },
    private readonly deliveries: DeliveryService,
    private readonly queue: DeliveryQueueService,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.running ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.messages?.close();
    await this.running;
    await this.nc?.close().catch(() => undefined);
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      try {
        this.nc ??= await this.connect();
        const jsm = await jetstreamManager(this.nc);
        const { streamName, consumerName, subjectPrefix } = this.settings;
        await jsm.consumers.info(streamName, consumerName).catch(() =>
          jsm.consumers.add(streamName, {
            durable_name: consumerName,
            ack_policy: AckPolicy.Explicit,
            // A new consumer starts at the present: endpoints only receive events after they exist.
            deliver_policy: DeliverPolicy.New,
            filter_subject: `${subjectPrefix}.>`,
            max_ack_pending: 1000,
          }),
        );
        const consumer = await jetstream(this.nc).consumers.get(streamName, consumerName);
        this.messages = await consumer.consume({ max_messages: 200 });
        if (this.stopping) await this.messages.close();
        for await (const message of this.messages) {
          await this.handle(message);
          failures = 0;
        }
      } catch (error) {
        if (this.stopping) break;
        failures += 1;
        const waitMs = Math.min(30_000, 250 * 2 ** failures);
        this.logger.warn({ err: error, waitMs }, 'webhook event consumer interrupted; resuming');
        await new Promise((resolve) => setTimeout(resolve, waitMs));
      }
    }
  }

  private async handle(message: JsMsg): Promise<void> {
    let envelope: TaskEventEnvelope;
    try {
      envelope = message.json<TaskEventEnvelope>();
    } catch {
      this.logger.error({ subject: message.subject, seq: message.seq }, 'unreadable task event; skipped');
      message.term('unreadable');
      return;
    }
    let created: string[];
    try {
      created = await this.deliveries.fanOut(envelope);
    } catch (error) {
      this.logger.warn({ err: error, eventId: envelope.id }, 'could not record webhook deliveries; redelivering');
      message.nak(1000);
      return;
    }
    message.ack();
    this.queue.enqueue(created).catch((error: unknown) => this.logger.warn({ err: error }, 'enqueue failed; the sweeper will retry'));
  }
}
