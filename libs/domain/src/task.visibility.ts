import type { Actor } from './task.events';

/**
 * Private tasks are for the team: every user of the organisation sees them, but among
 * services only the one that created the task does, so a third-party service with a read
 * key cannot see what another sender marked private.
 */
export function isVisibleTo(task: { private?: boolean; source: Actor }, actor: Actor): boolean {
  if (!task.private || actor.kind === 'user') return true;
  return task.source.kind === 'service' && task.source.id === actor.id;
}
