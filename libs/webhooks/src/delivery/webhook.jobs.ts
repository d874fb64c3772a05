import { type Job, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { TraceCarrier } from '@taskinbox/telemetry';

/**
 * Every job this queue carries: name → payload. Attempts and backoff are ours (kept in
 * PostgreSQL as next_attempt_at), so BullMQ runs each job once.
 */
export interface WebhookJobs {
  /**
   * One delivery's attempt (a retry, a throttled one, a resend, the sweeper's offer, the next of
   * an ordered task); the job id is the delivery id, which makes enqueueing it again a no-op.
   */
  deliver: DeliveryJob;
  /**
   * The first attempts of the deliveries one fan-out recorded, in one job: finishing a job is
   * most of what BullMQ costs, and one per delivery was a fifth of a delivery's CPU. Their rows
   * are leased (leased_until) instead, so the sweeper leaves them to this job until it expires.
   */
  deliverFirst: { deliveries: DeliveryJob[] };
}

/**
 * `trace` and `correlationId`: the event's, when the consumer that recorded the delivery was
 * traced, so the attempts join the trace of the request that caused the event. A job the
 * sweeper or a resend enqueued has neither.
 */
export interface DeliveryJob {
  deliveryId: string;
  trace?: TraceCarrier;
  correlationId?: string;
}

/** What a delivery's job carries beside its id. */
export type DeliveryJobContext = Omit<DeliveryJob, 'deliveryId'>;

export type WebhookJobName = keyof WebhookJobs;

export type WebhookJobHandlers = {
  [Name in WebhookJobName]: (job: Job<WebhookJobs[Name], void, Name>, token: string | undefined) => Promise<void>;
};

export type WebhookQueue = Queue<WebhookJobs[WebhookJobName], void, WebhookJobName>;

export function createWebhookQueue(name: string, prefix: string, connection: Redis): WebhookQueue {
  return new Queue<WebhookJobs[WebhookJobName], void, WebhookJobName>(name, {
    connection,
    prefix,
    defaultJobOptions: { attempts: 1, removeOnComplete: true, removeOnFail: true },
  });
}

/** BullMQ refuses ids with ':' and all-digit ids; a prefix keeps uuids safe either way. */
export const deliveryJobId = (deliveryId: string): string => `dlv_${deliveryId}`;

/** Enqueues deliveries, a job each, due at once or at `at` (idempotent per delivery id). */
export async function enqueueDeliveries(queue: WebhookQueue, deliveries: readonly (DeliveryJob & { at?: number })[]): Promise<void> {
  if (deliveries.length === 0) return;
  await queue.addBulk(
    deliveries.map(({ at, ...data }) => ({
      name: 'deliver' as const,
      data,
      opts: { jobId: deliveryJobId(data.deliveryId), ...(at === undefined ? {} : { delay: Math.max(0, at - Date.now()) }) },
    })),
  );
}

/** Most first attempts one job carries: a slow batch holds back no more than this many. */
export const firstAttemptsPerJob = 100;

/** Enqueues the first attempts of newly recorded deliveries, `firstAttemptsPerJob` to a job. */
export async function enqueueFirstAttempts(queue: WebhookQueue, deliveries: readonly DeliveryJob[]): Promise<void> {
  const jobs: { name: 'deliverFirst'; data: { deliveries: DeliveryJob[] } }[] = [];
  for (let start = 0; start < deliveries.length; start += firstAttemptsPerJob) {
    jobs.push({ name: 'deliverFirst', data: { deliveries: deliveries.slice(start, start + firstAttemptsPerJob) } });
  }
  if (jobs.length > 0) await queue.addBulk(jobs);
}
