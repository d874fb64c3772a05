import { SpanKind } from '@opentelemetry/api';
import { DelayedError, type Job, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import pLimit, { type LimitFunction } from 'p-limit';
import type { Logger } from 'pino';
import { contextOfCarrier, correlationIdAttribute, inSpan, tracingEnabled } from '@taskinbox/telemetry';
import type { DeliveryPipeline } from './delivery.pipeline';
import type { DeliveryQueueService } from './delivery-queue.service';
import type { DeliveryJob, WebhookJobHandlers, WebhookJobName, WebhookJobs } from './webhook.jobs';

/**
 * Runs the delivery queue's jobs, and sweeps: every few seconds the due deliveries in
 * PostgreSQL are enqueued again (a no-op for those whose job exists; those leased to a job of
 * first attempts wait for the lease to run out), so Redis losing its data, a failed enqueue or
 * a crashed worker loses nothing.
 */
export class DeliveryWorker {
  private worker?: Worker<WebhookJobs[WebhookJobName], void, WebhookJobName>;
  private connection?: Redis;
  private sweeper?: NodeJS.Timeout;
  private sweeping = false;

  /** `concurrency` bounds the attempts running (requests in flight), whichever jobs carry them; the rest wait in turn. */
  private readonly attempts: LimitFunction;

  private readonly handlers: WebhookJobHandlers = {
    deliver: async (job, token) => this.afterAttempt(job, token, await this.attempt(job.data)),
    deliverFirst: async (job) => this.attemptFirst(job.data.deliveries),
  };

  constructor(
    private readonly redisUrl: string,
    private readonly queue: DeliveryQueueService,
    private readonly pipeline: DeliveryPipeline,
    private readonly settings: { queueName: string; queuePrefix: string; concurrency: number; sweepIntervalMs: number },
    private readonly logger: Logger,
  ) {
    this.attempts = pLimit(settings.concurrency);
  }

  start(): void {
    // Blocking commands must wait through reconnects rather than fail.
    this.connection = new Redis(this.redisUrl, { maxRetriesPerRequest: null });
    this.connection.on('error', () => undefined);
    this.worker = new Worker<WebhookJobs[WebhookJobName], void, WebhookJobName>(
      this.settings.queueName,
      // The name picks the handler, and each name has its own payload type.
      (job, token) => this.handlers[job.name](job as never, token),
      { connection: this.connection, prefix: this.settings.queuePrefix, concurrency: this.settings.concurrency },
    );
    this.worker.on('error', (error) => this.logger.warn({ err: error }, 'webhook worker error'));
    this.worker.on('failed', (job, error) =>
      this.logger.warn({ err: error, jobId: job?.id }, 'webhook job failed; the sweeper re-enqueues it'),
    );
    this.sweeper = setInterval(() => void this.sweep(), this.settings.sweepIntervalMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.sweeper);
    await this.worker?.close();
    await this.pipeline.recorded();
    this.connection?.disconnect();
  }

  /** Enqueues every delivery due for an interval or more; returns how many were offered. */
  async sweep(): Promise<number> {
    if (this.sweeping) return 0;
    this.sweeping = true;
    try {
      // One that fell due within the last interval has its job (just enqueued, or its delayed
      // job firing): offering it too cost a thousand EXISTS a sweep at any steady rate. One
      // still leased to its first attempts' job is not offered either (that job has no id to find).
      const due = await this.pipeline.due(1000, this.settings.sweepIntervalMs);
      await this.queue.enqueueMissing(due);
      return due.length;
    } catch (error) {
      this.logger.warn({ err: error }, 'webhook sweep failed');
      return 0;
    } finally {
      this.sweeping = false;
    }
  }

  /**
   * The first attempts a job carries, side by side. One to try again later (a retry, or
   * throttled) gets a delayed job of its own; should an attempt fail outright, the job fails
   * and the sweeper offers its delivery again once the lease has run out.
   */
  private async attemptFirst(deliveries: readonly DeliveryJob[]): Promise<void> {
    const outcomes = await Promise.allSettled(deliveries.map((delivery) => this.attempt(delivery)));
    const later = deliveries.flatMap((delivery, index) => {
      const outcome = outcomes[index];
      return outcome.status === 'fulfilled' && outcome.value.kind === 'later' ? [{ ...delivery, at: outcome.value.at }] : [];
    });
    await this.queue.enqueueLater(later);
    const failed = outcomes.find((outcome) => outcome.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /**
   * Traced, each attempt is a span under the event's trace (carried by the job from the consumer
   * that recorded the delivery); retries of the same delivery join it again, later.
   */
  private attempt(delivery: DeliveryJob): ReturnType<DeliveryPipeline['attempt']> {
    return this.attempts(() => this.traced(delivery));
  }

  private traced(delivery: DeliveryJob): ReturnType<DeliveryPipeline['attempt']> {
    if (!tracingEnabled()) return this.pipeline.attempt(delivery.deliveryId);
    return inSpan(
      'deliver webhook',
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          'taskinbox.delivery_id': delivery.deliveryId,
          ...(delivery.correlationId ? { [correlationIdAttribute]: delivery.correlationId } : {}),
        },
      },
      async (span) => {
        const outcome = await this.pipeline.attempt(delivery.deliveryId);
        span.setAttribute('taskinbox.outcome', outcome.kind);
        return outcome;
      },
      contextOfCarrier(delivery.trace),
    );
  }

  private async afterAttempt(
    job: Job<WebhookJobs['deliver'], void, 'deliver'>,
    token: string | undefined,
    outcome: Awaited<ReturnType<DeliveryPipeline['attempt']>>,
  ): Promise<void> {
    if (outcome.kind !== 'later') return;
    // The same job waits for its next attempt; DelayedError tells BullMQ it was not a failure.
    await job.moveToDelayed(outcome.at, token);
    throw new DelayedError();
  }
}
