import { type Job, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Actor, TaskActionRequest } from '@taskinbox/domain';
import { actionLimits } from '@taskinbox/task-types';

/**
 * Every job of the task-actions queue: name → payload. One job per requested action, its id the
 * action id, so handing the same request over again (the log subscription after a restart) is a
 * no-op while it waits. Attempts cover the most retries any action may ask for; the handler
 * stops earlier, after the action's own.
 */
export interface TaskActionJobs {
  /** The request as its TaskActionRequested event recorded it. */
  run: { orgId: string; taskId: string; by: Actor; request: TaskActionRequest };
}

export type TaskActionJobName = keyof TaskActionJobs;

export type TaskActionJobHandlers = {
  [Name in TaskActionJobName]: (job: Job<TaskActionJobs[Name], void, Name>) => Promise<void>;
};

export type TaskActionQueue = Queue<TaskActionJobs[TaskActionJobName], void, TaskActionJobName>;

export function createTaskActionQueue(name: string, prefix: string, connection: Redis, retryDelayMs: number): TaskActionQueue {
  return new Queue<TaskActionJobs[TaskActionJobName], void, TaskActionJobName>(name, {
    connection,
    prefix,
    defaultJobOptions: {
      attempts: actionLimits.maxRetries + 1,
      backoff: { type: 'exponential', delay: retryDelayMs },
      removeOnComplete: true,
      removeOnFail: 1000,
    },
  });
}

/** BullMQ refuses ids with ':'; a prefix keeps uuids safe. */
export const actionJobId = (actionId: string): string => `act_${actionId}`;
