import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { queueStates } from '@taskinbox/metrics';
import {
  createNotificationQueue,
  deliverJobId,
  type NotificationJobHandlers,
  type NotificationJobName,
  type NotificationJobs,
  type NotificationQueueHandle,
} from './notification.jobs';

export interface NotificationQueueSettings {
  queueName: string;
  queuePrefix: string;
  /** False: enqueue only; another process delivers. */
  work: boolean;
  /** How often the digest of low-urgency notifications goes out. */
  digestEveryMs: number;
}

/** The notifications queue: deliveries off the request path, and the repeatable digest. */
export class NotificationQueue {
  private queue?: NotificationQueueHandle;
  private queueConnection?: Redis;
  private worker?: Worker<NotificationJobs[NotificationJobName], void, NotificationJobName>;
  private workerConnection?: Redis;

  constructor(
    private readonly redisUrl: string,
    private readonly settings: NotificationQueueSettings,
    private readonly logger: Logger,
  ) {}

  async deliver(notificationIds: readonly string[]): Promise<void> {
    if (notificationIds.length === 0) return;
    await this.open().addBulk(
      notificationIds.map((notificationId) => ({
        name: 'deliver' as const,
        data: { notificationId },
        opts: { jobId: deliverJobId(notificationId) },
      })),
    );
  }

  async start(handlers: NotificationJobHandlers): Promise<void> {
    if (!this.settings.work) return;
    await this.open().upsertJobScheduler('digest', { every: this.settings.digestEveryMs }, { name: 'digest', data: {} });
    this.workerConnection = new Redis(this.redisUrl, { maxRetriesPerRequest: null });
    this.workerConnection.on('error', () => undefined);
    this.worker = new Worker<NotificationJobs[NotificationJobName], void, NotificationJobName>(
      this.settings.queueName,
      (job) => handlers[job.name](job as never),
      { connection: this.workerConnection, prefix: this.settings.queuePrefix, concurrency: 4 },
    );
    this.worker.on('error', (error) => this.logger.warn({ err: error }, 'notifications worker error'));
    this.worker.on('failed', (job, error) => this.logger.warn({ err: error, jobId: job?.id }, 'notification job failed'));
  }

  async stop(): Promise<void> {
    await this.worker?.close();
    await this.queue?.close();
    this.workerConnection?.disconnect();
    this.queueConnection?.disconnect();
  }

  /** Jobs by state, for the queue-depth metric. */
  counts(): Promise<Record<string, number>> {
    return this.open().getJobCounts(...queueStates);
  }

  private open(): NotificationQueueHandle {
    if (!this.queue) {
      this.queueConnection = new Redis(this.redisUrl, { maxRetriesPerRequest: 1 });
      this.queueConnection.on('error', () => undefined);
      this.queue = createNotificationQueue(this.settings.queueName, this.settings.queuePrefix, this.queueConnection);
    }
    return this.queue;
  }
}
