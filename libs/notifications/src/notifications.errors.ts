import type { CodedError } from '@taskinbox/http';

// Every refusal of the notifications context, each with a stable code; libs/http/src/error-response.ts
// gives each code its status.

const coded = (code: string, message: string, details?: unknown): CodedError & Error =>
  Object.assign(new Error(message), { code, ...(details === undefined ? {} : { details }) });

export const notificationErrors = {
  notificationNotFound: () => coded('notification_not_found', 'Notification not found.'),
  subscriptionNotFound: () => coded('push_subscription_not_found', 'No such push subscription of yours.'),
  pushUnavailable: () => coded('push_unavailable', 'Web Push is not set up on this server (no VAPID keys).'),
  peopleOnly: () => coded('people_only', 'Notifications are for people signed in, not for API keys.'),
  invalid: (field: string, problem: string) =>
    coded('invalid_input', `${field} ${problem}`, [{ field, in: 'body', problems: [problem] }]),
};
