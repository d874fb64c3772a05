import { type Job, Queue } from 'bullmq';
import type { Redis } from 'ioredis';

/**
 * Every job of the attachments queue: name → payload. A preview is made once per distinct
 * content of an organisation, so the job id is the content's address and enqueueing it again
 * (a retry, the sweeper) is a no-op while it waits.
 */
export interface AttachmentJobs {
  preview: { orgId: string; sha256: string };
}

export type AttachmentJobName = keyof AttachmentJobs;

export type AttachmentJobHandlers = {
  [Name in AttachmentJobName]: (job: Job<AttachmentJobs[Name], void, Name>) => Promise<void>;
};

export type AttachmentQueue = Queue<AttachmentJobs[AttachmentJobName], void, AttachmentJobName>;

export function createAttachmentQueue(name: string, prefix: string, connection: Redis): AttachmentQueue {
  return new Queue<AttachmentJobs[AttachmentJobName], void, AttachmentJobName>(name, {
    connection,
    prefix,
    defaultJobOptions: { attempts: 3, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: true, removeOnFail: 1000 },
  });
}

/** BullMQ refuses ids with ':'; org id and hash are safe. */
export const previewJobId = (orgId: string, sha256: string): string => `pv_${orgId}_${sha256}`;
