import type { CodedError } from '@taskinbox/http';

// Every refusal of the on-call context, each with a stable code; libs/http/src/error-response.ts
// gives each code its status.

const coded = (code: string, message: string, details?: unknown): CodedError & Error =>
  Object.assign(new Error(message), { code, ...(details === undefined ? {} : { details }) });

export const oncallErrors = {
  rotationNotFound: () => coded('rotation_not_found', 'Rotation not found.'),
  scheduleNotFound: () => coded('oncall_schedule_not_found', 'On-call schedule not found.'),
  routingRuleNotFound: () => coded('routing_rule_not_found', 'Routing rule not found.'),
  overrideNotFound: () => coded('override_not_found', 'Override not found.'),
  calendarNotFound: () =>
    coded('calendar_feed_not_found', 'This calendar link is unknown or was replaced by a newer one.'),
  nameTaken: (what: string) => coded('oncall_name_taken', `Another ${what} of this organisation has this name.`),
  rotationInUse: (schedules: string[]) =>
    coded(
      'rotation_in_use',
      `The rotation is used by the schedule(s) ${schedules.join(', ')}: take it out of their rules first.`,
    ),
  /** A field the DTO could not judge alone (a zone, a person of another organisation, a range). */
  invalid: (field: string, problem: string) =>
    coded('invalid_input', `${field} ${problem}`, [{ field, in: 'body', problems: [problem] }]),
};

/** PostgreSQL's unique_violation: a second thing with the same name. */
export const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === '23505';
