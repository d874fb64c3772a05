import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Pool } from 'pg';
import { queueStates } from '@taskinbox/metrics';
import { type AttachmentJobHandlers, type AttachmentJobName, type AttachmentJobs, type AttachmentQueue, createAttachmentQueue, previewJobId } from './preview.jobs';
import type { PreviewMaker } from './preview.maker';

/**
 * The attachments queue: enqueues previews and runs them (one at a time per process: image and
 * PDF work is CPU-bound). A sweep at start and every minute re-enqueues previews still pending
 * in PostgreSQL, so a lost enqueue or a Redis without its data delays a preview, never loses it.
 */
export class PreviewQueue {
  private queue?: AttachmentQueue;
  private queueConnection?: Redis;
  private worker?: Worker<AttachmentJobs[AttachmentJobName], void, AttachmentJobName>;
  private workerConnection?: Redis;
  private sweeper?: NodeJS.Timeout;

  private readonly handlers: AttachmentJobHandlers = {
    preview: (job) => this.maker.make(job.data.orgId, job.data.sha256),
  };

  constructor(
    private readonly redisUrl: string,
    private readonly settings: { queueName: string; queuePrefix: string; work: boolean; sweepIntervalMs: number },
    private readonly pool: Pool,
    private readonly maker: PreviewMaker,
    private readonly logger: Logger,
  ) {}

  async request(orgId: string, sha256: string): Promise<void> {
    try {
      await this.open().add('preview', { orgId, sha256 }, { jobId: previewJobId(orgId, sha256) });
    } catch (error) {
      // The sweeper finds it pending later: the upload itself has succeeded.
      this.logger.warn({ err: error, orgId, sha256 }, 'preview enqueue failed; the sweep retries');
    }
  }

  start(): void {
    if (!this.settings.work) return;
    this.workerConnection = new Redis(this.redisUrl, { maxRetriesPerRequest: null });
    this.workerConnection.on('error', () => undefined);
    this.worker = new Worker<AttachmentJobs[AttachmentJobName], void, AttachmentJobName>(
      this.settings.queueName,
      (job) => this.handlers[job.name](job as never),
      { connection: this.workerConnection, prefix: this.settings.queuePrefix, concurrency: 1 },
    );
    this.worker.on('error', (error) => this.logger.warn({ err: error }, 'attachments worker error'));
    this.worker.on('failed', (job, error) => this.logger.warn({ err: error, jobId: job?.id }, 'preview job failed'));
    void this.sweep();
    this.sweeper = setInterval(() => void this.sweep(), this.settings.sweepIntervalMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.sweeper);
    await this.worker?.close();
    await this.queue?.close();
    this.workerConnection?.disconnect();
    this.queueConnection?.disconnect();
  }

  private async sweep(): Promise<void> {
    try {
      const { rows } = await this.pool.query<{ org_id: string; sha256: string }>(
        `SELECT org_id, sha256 FROM attachment_blobs WHERE preview_status = 'pending' AND erased_at IS NULL LIMIT 1000`,
      );
      for (const row of rows) await this.request(row.org_id, row.sha256);
    } catch (error) {
      this.logger.warn({ err: error }, 'preview sweep failed');
    }
  }

  /** Jobs by state, for the queue-depth metric. */
  counts(): Promise<Record<string, number>> {
    return this.open().getJobCounts(...queueStates);
  }

  private open(): AttachmentQueue {
    if (!this.queue) {
      this.queueConnection = new Redis(this.redisUrl, { maxRetriesPerRequest: 1 });
      this.queueConnection.on('error', () => undefined);
      this.queue = createAttachmentQueue(this.settings.queueName, this.settings.queuePrefix, this.queueConnection);
    }
    return this.queue;
  }
}
