import { type Job, Queue } from 'bullmq';
import type { Redis } from 'ioredis';

/**
 * Every job of the notifications queue: name → payload. A delivery's job id is its notification,
 * so enqueueing it again (the sweep) is a no-op while it waits; the digest is a repeatable job.
 */
export interface NotificationJobs {
  deliver: { notificationId: string };
  digest: Record<string, never>;
}

export type NotificationJobName = keyof NotificationJobs;

export type NotificationJobHandlers = {
  [Name in NotificationJobName]: (job: Job<NotificationJobs[Name], void, Name>) => Promise<void>;
};

export type NotificationQueueHandle = Queue<NotificationJobs[NotificationJobName], void, NotificationJobName>;

export function createNotificationQueue(name: string, prefix: string, connection: Redis): NotificationQueueHandle {
  return new Queue<NotificationJobs[NotificationJobName], void, NotificationJobName>(name, {
    connection,
    prefix,
    defaultJobOptions: { attempts: 3, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: true, removeOnFail: 1000 },
  });
}

/** BullMQ refuses ids with ':'; a uuid is safe. */
export const deliverJobId = (notificationId: string): string => `ntf_${notificationId}`;
