import { SpanKind } from '@opentelemetry/api';
import { DelayedError, type Job, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { contextOfCarrier, correlationIdAttribute, inSpan, tracingEnabled } from '@taskinbox/telemetry';
import type { DeliveryPipeline } from './delivery.pipeline';
import type { DeliveryQueueService } from './delivery-queue.service';
import type { WebhookJobHandlers, WebhookJobName, WebhookJobs } from './webhook.jobs';

/**
 * Runs the delivery queue's jobs, and sweeps: every few seconds the due deliveries in
 * PostgreSQL are enqueued again (a no-op for those whose job exists), so Redis losing its
 * data, a failed enqueue or a crashed worker loses nothing.
 */
export class DeliveryWorker {
  private worker?: Worker<WebhookJobs[WebhookJobName], void, WebhookJobName>;
  private connection?: Redis;
  private sweeper?: NodeJS.Timeout;
  private sweeping = false;

  private readonly handlers: WebhookJobHandlers = {
    deliver: async (job, token) => this.afterAttempt(job, token, await this.attempt(job)),
  };

  constructor(
    private readonly redisUrl: string,
    private readonly queue: DeliveryQueueService,
    private readonly pipeline: DeliveryPipeline,
    private readonly settings: { queueName: string; queuePrefix: string; concurrency: number; sweepIntervalMs: number },
    private readonly logger: Logger,
  ) {}

  start(): void {
    // Blocking commands must wait through reconnects rather than fail.
    this.connection = new Redis(this.redisUrl, { maxRetriesPerRequest: null });
    this.connection.on('error', () => undefined);
    this.worker = new Worker<WebhookJobs[WebhookJobName], void, WebhookJobName>(
      this.settings.queueName,
      (job, token) => this.handlers[job.name](job, token),
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
      // job firing): offering it too cost a thousand EXISTS a sweep at any steady rate.
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
   * Traced, each attempt is a span under the event's trace (carried by the job from the consumer
   * that recorded the delivery); retries of the same job join it again, later.
   */
  private attempt(job: Job<WebhookJobs['deliver'], void, 'deliver'>): ReturnType<DeliveryPipeline['attempt']> {
    if (!tracingEnabled()) return this.pipeline.attempt(job.data.deliveryId);
    return inSpan(
      'deliver webhook',
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          'taskinbox.delivery_id': job.data.deliveryId,
          ...(job.data.correlationId ? { [correlationIdAttribute]: job.data.correlationId } : {}),
        },
      },
      async (span) => {
        const outcome = await this.pipeline.attempt(job.data.deliveryId);
        span.setAttribute('taskinbox.outcome', outcome.kind);
        return outcome;
      },
      contextOfCarrier(job.data.trace),
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
