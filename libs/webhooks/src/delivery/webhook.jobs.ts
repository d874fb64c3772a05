import { type Job, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { TraceCarrier } from '@taskinbox/telemetry';

/**
 * Every job this queue carries: name → payload. Attempts and backoff are ours (kept in
 * PostgreSQL as next_attempt_at), so BullMQ runs each job once and the job id is the
 * delivery id, which makes enqueueing the same delivery again a no-op.
 */
export interface WebhookJobs {
  /**
   * `trace` and `correlationId`: the event's, when the consumer that recorded the delivery was
   * traced, so the attempts join the trace of the request that caused the event. A job the
   * sweeper or a resend enqueued has neither.
   */
  deliver: { deliveryId: string; trace?: TraceCarrier; correlationId?: string };
}

/** What a delivery's job carries beside its id. */
export type DeliveryJobContext = Omit<WebhookJobs['deliver'], 'deliveryId'>;

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

/** Enqueues deliveries (idempotent per delivery id). */
export async function enqueueDeliveries(
  queue: WebhookQueue,
  deliveryIds: readonly string[],
  contextOf?: (deliveryId: string) => DeliveryJobContext | undefined,
): Promise<void> {
  if (deliveryIds.length === 0) return;
  await queue.addBulk(
    deliveryIds.map((deliveryId) => ({
      name: 'deliver' as const,
      data: { deliveryId, ...contextOf?.(deliveryId) },
      opts: { jobId: deliveryJobId(deliveryId) },
    })),
  );
}
