import type { Principal } from '@taskinbox/auth';
import { type Actor, isVisibleTo } from '@taskinbox/domain';

/** The domain's rule for private tasks (isVisibleTo), for rows already loaded. */
export function canSee(task: { private: boolean; source: Actor }, principal: Principal): boolean {
  return isVisibleTo(task, principal.actor);
}

/** The same rule as SQL for lists, on inbox_tasks aliased `alias`; its parameter is `visibleToService`. */
export function visibilityCondition(
  alias: string,
  principal: Principal,
): { sql: string; parameters: Record<string, string> } | null {
  if (principal.actor.kind === 'user') return null;
  return {
    sql: `(NOT ${alias}.private OR (${alias}.source ->> 'kind' = 'service' AND ${alias}.source ->> 'id' = :visibleToService))`,
    parameters: { visibleToService: principal.actor.id },
  };
}
