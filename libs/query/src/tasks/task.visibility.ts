import type { Principal } from '@taskinbox/auth';
import { type Actor, isInAssignedScope, isVisibleTo } from '@taskinbox/domain';

/**
 * The domain's rules for rows already loaded: private tasks (isVisibleTo), and the scope of a
 * member limited to assigned tasks (isInAssignedScope; `assignees` are inbox_tasks' keys).
 */
export function canSee(task: { private: boolean; source: Actor; assignees: string[] }, principal: Principal): boolean {
  return isVisibleTo(task, principal.actor) && isInAssignedScope(task.assignees, principal.assignedTo);
}

/** The same rules as SQL for lists, on inbox_tasks aliased `alias`; its parameters are `visibleToService` and `assignedTo`. */
export function visibilityCondition(
  alias: string,
  principal: Principal,
): { sql: string; parameters: Record<string, string | string[]> } | null {
  if (principal.assignedTo) return { sql: `${alias}.assignees && :assignedTo::text[]`, parameters: { assignedTo: [...principal.assignedTo] } };
  if (principal.actor.kind === 'user') return null;
  return {
    sql: `(NOT ${alias}.private OR (${alias}.source ->> 'kind' = 'service' AND ${alias}.source ->> 'id' = :visibleToService))`,
    parameters: { visibleToService: principal.actor.id },
  };
}
