import type { CodedError } from '@taskinbox/http';

// Every refusal of the transparency context, each with a stable code; libs/http/src/error-response.ts
// gives each code its status.

const coded = (code: string, message: string, details?: unknown): CodedError & Error =>
  Object.assign(new Error(message), { code, ...(details === undefined ? {} : { details }) });

export const transparencyErrors = {
  /** Unknown, revoked and expired links answer alike, so a link's history is not revealed. */
  statusLinkNotFound: () => coded('status_link_not_found', 'This status link is unknown, was revoked or has expired.'),
  senderOnly: () => coded('status_link_sender_only', 'Among services, only the one that created the task may share its status.'),
  privateTask: () => coded('status_link_private_task', 'Private tasks are hidden from end-user views: they have no status link.'),
  requestClosed: () =>
    coded('end_user_request_closed', 'This question was already answered or withdrawn.'),
  formExpired: () => coded('end_user_form_expired', 'This form is out of date: open the status page again.'),
  /** A form that is not one a status page can show; `problem` names where, e.g. form.properties.a. */
  invalidForm: (problem: string) => coded('invalid_input', problem, [{ field: 'form', in: 'body', problems: [problem] }]),
};
