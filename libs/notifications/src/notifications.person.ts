import type { Principal } from '@taskinbox/auth';
import { notificationErrors } from './notifications.errors';

/** The person a request speaks for; notifications, subscriptions and preferences are people's own. */
export function personOf(principal: Principal): string {
  if (principal.actor.kind !== 'user') throw notificationErrors.peopleOnly();
  return principal.actor.id;
}
