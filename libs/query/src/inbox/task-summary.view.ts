import type { Actor, Priority, TaskStatus } from '@taskinbox/domain';
import type { InboxTask } from '@taskinbox/read-models';

/** A task as the shared inbox lists it (no description or payload: those are in the task's detail). */
export interface TaskSummary {
  id: string;
  type: string;
  title: string;
  status: TaskStatus;
  /** The user who claimed it, while it is being worked on and, after completion, for the record. */
  processedBy: string | null;
  processedAt: string | null;
  /** Who sent it: a service (API key) or a user. */
  source: Actor;
  priority: Priority | null;
  dueAt: string | null;
  tags: string[];
  assignees: string[];
  customerRef: string | null;
  projectRef: string | null;
  private: boolean;
  externalRef: string | null;
  resolution: string | null;
  commentCount: number;
  attachmentCount: number;
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
  cancelledAt: string | null;
  /** The stream revision this view reflects; commands return the same number. */
  version: number;
}

/** The inbox_tasks columns a summary is made of (the list loads no more than these). */
export const summaryColumns = [
  'taskId',
  'taskType',
  'title',
  'status',
  'statusRank',
  'processedBy',
  'processedAt',
  'source',
  'priority',
  'dueAt',
  'tags',
  'assignees',
  'customerRef',
  'projectRef',
  'private',
  'externalRef',
  'resolution',
  'commentCount',
  'attachmentCount',
  'createdAt',
  'updatedAt',
  'completedAt',
  'cancelledAt',
  'version',
] as const satisfies readonly (keyof InboxTask)[];

const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

export function toTaskSummary(row: Pick<InboxTask, (typeof summaryColumns)[number]>): TaskSummary {
  return {
    id: row.taskId,
    type: row.taskType,
    title: row.title,
    status: row.status,
    processedBy: row.processedBy,
    processedAt: iso(row.processedAt),
    source: row.source,
    priority: row.priority,
    dueAt: iso(row.dueAt),
    tags: row.tags,
    assignees: row.assignees,
    customerRef: row.customerRef,
    projectRef: row.projectRef,
    private: row.private,
    externalRef: row.externalRef,
    resolution: row.resolution,
    commentCount: row.commentCount,
    attachmentCount: row.attachmentCount,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    completedAt: iso(row.completedAt),
    cancelledAt: iso(row.cancelledAt),
    version: row.version,
  };
}
