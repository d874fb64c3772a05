import type { NamedAssignee } from '@taskinbox/auth';
import type { Actor, AssigneeRef, Priority, TaskStatus } from '@taskinbox/domain';
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
  /** Suggested owners (people and groups) with their current names. */
  assignees: NamedAssignee[];
  /** Free-text assignees of tasks created before assignees were checked. */
  legacyAssignees: string[];
  customerRef: string | null;
  projectRef: string | null;
  milestoneRef: string | null;
  /** The type version the payload was checked against; null for unregistered types. */
  typeVersion: number | null;
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
  /** How soon it needs attention (the organisation's urgency rules; apart from priority), and why. */
  urgency: { level: InboxTask['urgencyLevel']; reason: string | null };
  /** An open task expected to finish after its deadline (the ETA's P90 is later), and why; null otherwise. */
  atRisk: { reason: string } | null;
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
  'milestoneRef',
  'typeVersion',
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
  'urgencyRank',
  'urgencyLevel',
  'urgencyReason',
  'atRisk',
] as const satisfies readonly (keyof InboxTask)[];

/** The one reason a task is at risk, as the inbox shows it. */
export const atRiskReason = 'Expected after the deadline';

const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

/** The refs of an inbox row's assignee keys (legacy labels left out). */
export function assigneeRefsOf(keys: readonly string[]): AssigneeRef[] {
  return keys.flatMap((key) => {
    const [kind, id] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
    return kind === 'user' || kind === 'group' ? [{ kind, id }] : [];
  });
}

/** `names` holds `kind:id` → name (PeopleDirectory.names); a person or group gone since keeps its id. */
export function toTaskSummary(row: Pick<InboxTask, (typeof summaryColumns)[number]>, names: ReadonlyMap<string, string>): TaskSummary {
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
    assignees: assigneeRefsOf(row.assignees).map((ref) => ({ ...ref, name: names.get(`${ref.kind}:${ref.id}`) ?? ref.id })),
    legacyAssignees: row.assignees.filter((key) => key.startsWith('legacy:')).map((key) => key.slice('legacy:'.length)),
    customerRef: row.customerRef,
    projectRef: row.projectRef,
    milestoneRef: row.milestoneRef,
    typeVersion: row.typeVersion,
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
    urgency: { level: row.urgencyLevel, reason: row.urgencyReason },
    // A finished task keeps the column from its last evaluation; it is at risk no more.
    atRisk: row.atRisk && row.completedAt === null && row.cancelledAt === null ? { reason: atRiskReason } : null,
  };
}
