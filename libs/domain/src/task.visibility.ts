import type { Actor, AssigneeRef } from './task.events';

/**
 * A task's assignees as keys: `user:<id>`, `group:<id>`, and `legacy:<text>` for the free strings
 * of tasks created before assignees were checked (inbox_tasks.assignees holds the same).
 */
export function assigneeKeys(task: { assignees?: AssigneeRef[]; legacyAssignees?: string[] }): string[] {
  return [...(task.assignees ?? []).map((ref) => `${ref.kind}:${ref.id}`), ...(task.legacyAssignees ?? []).map((label) => `legacy:${label}`)];
}

/** Whether a person limited to assigned tasks (`assignedTo`: their keys; none: not limited) sees a task with these keys. */
export function isInAssignedScope(taskKeys: readonly string[], assignedTo: readonly string[] | undefined): boolean {
  return assignedTo === undefined || taskKeys.some((key) => assignedTo.includes(key));
}

/**
 * Private tasks are for the team: every user of the organisation sees them, but among
 * services only the one that created the task does, so a third-party service with a read
 * key cannot see what another sender marked private. taskinbox's own rules (system) see them all.
 */
export function isVisibleTo(task: { private?: boolean; source: Actor }, actor: Actor): boolean {
  if (!task.private || actor.kind !== 'service') return true;
  return task.source.kind === 'service' && task.source.id === actor.id;
}
