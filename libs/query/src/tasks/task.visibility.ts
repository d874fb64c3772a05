import type { Principal } from '@taskinbox/auth';
import type { Actor } from '@taskinbox/domain';

/**
 * Who may read a task of their own organisation. Private tasks are for the team: every user of
 * the organisation sees them, but among services only the one that created the task does, so a
 * third-party service with a read key cannot see what another sender marked private.
 *
 * The same rule is written twice, once for SQL (lists) and once for rows already loaded.
 */
export function canSee(task: { private: boolean; source: Actor }, principal: Principal): boolean {
  const { actor } = principal;
  if (!task.private || actor.kind === 'user') return true;
  return task.source.kind === 'service' && task.source.id === actor.id;
}

/** SQL condition for `canSee` on inbox_tasks aliased `alias`; its parameter is `visibleToService`. */
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
