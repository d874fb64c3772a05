import type { Resolver } from '@taskinbox/webhooks';

export interface TaskActionsOptions {
  /** BullMQ queue name and key prefix; default `task-actions` / `bull`. */
  queueName: string;
  queuePrefix: string;
  /** False: API only (no log subscription or worker in this process). */
  work: boolean;
  /** First wait before a retry; doubles with each (BullMQ's exponential backoff). */
  retryDelayMs: number;
  concurrency: number;
  /** DNS for the SSRF guard (tests); the system resolver otherwise. */
  resolver?: Resolver;
}

export const TASK_ACTIONS_OPTIONS = Symbol('taskinbox.task-actions-options');

export function taskActionsOptions(overrides: Partial<TaskActionsOptions>): TaskActionsOptions {
  return { queueName: 'task-actions', queuePrefix: 'bull', work: true, retryDelayMs: 2000, concurrency: 20, ...overrides };
}
