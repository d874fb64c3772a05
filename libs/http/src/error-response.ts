import { HttpException, HttpStatus } from '@nestjs/common';
import type { TaskRejection, TaskRejectionCode } from '@taskinbox/domain';

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details?: unknown;
  correlationId: string;
}

/** A command the domain refused; carried to the edge as an exception so Nest can map it. */
export class RejectedCommand extends Error {
  constructor(readonly rejection: TaskRejection) {
    super(rejection.message);
    this.name = 'RejectedCommand';
  }
}

/** Anything else the application refuses on purpose carries a stable code and a status. */
export interface CodedError {
  code: string;
  message: string;
  /** Shown to the caller as `details` (e.g. the fields a 400 refuses); else details is `{ code }`. */
  details?: unknown;
  /** Sent as Retry-After (429, 503). */
  retryAfterSeconds?: number;
}

const rejectionStatus = (code: TaskRejectionCode): number => {
  switch (code) {
    case 'task_not_found':
      return HttpStatus.NOT_FOUND;
    case 'task_already_exists':
    case 'task_already_claimed':
    case 'illegal_transition':
      return HttpStatus.CONFLICT;
    case 'not_the_claimer':
    case 'action_not_allowed':
      return HttpStatus.FORBIDDEN;
    case 'invalid_task_command':
      return HttpStatus.BAD_REQUEST;
    default: {
      const unhandled: never = code;
      return unhandled;
    }
  }
};

const codedStatus: Record<string, number> = {
  invalid_input: HttpStatus.BAD_REQUEST,
  unreadable_body: HttpStatus.BAD_REQUEST,
  account_conflict: HttpStatus.CONFLICT,
  wrong_expected_revision: HttpStatus.CONFLICT,
  idempotency_key_reused: HttpStatus.UNPROCESSABLE_ENTITY,
  webhook_url_refused: HttpStatus.BAD_REQUEST,
  webhook_endpoint_not_found: HttpStatus.NOT_FOUND,
  webhook_delivery_not_found: HttpStatus.NOT_FOUND,
  event_reader_not_found: HttpStatus.NOT_FOUND,
  nats_unavailable: HttpStatus.SERVICE_UNAVAILABLE,
  password_change_required: HttpStatus.FORBIDDEN,
  sign_in_throttled: HttpStatus.TOO_MANY_REQUESTS,
  sign_in_busy: HttpStatus.SERVICE_UNAVAILABLE,
  membership_blocked: HttpStatus.FORBIDDEN,
  last_admin: HttpStatus.CONFLICT,
  account_shared: HttpStatus.CONFLICT,
  account_exists: HttpStatus.CONFLICT,
  wrong_password: HttpStatus.FORBIDDEN,
  link_invalid: HttpStatus.GONE,
  // task types and templates (libs/task-types)
  task_type_not_found: HttpStatus.NOT_FOUND,
  invalid_task_type: HttpStatus.BAD_REQUEST,
  task_type_exists: HttpStatus.CONFLICT,
  task_type_version_conflict: HttpStatus.CONFLICT,
  unknown_task_type: HttpStatus.BAD_REQUEST,
  template_not_found: HttpStatus.NOT_FOUND,
  template_name_taken: HttpStatus.CONFLICT,
  task_action_not_found: HttpStatus.NOT_FOUND,
  // devices (libs/devices)
  device_auth_failed: HttpStatus.UNAUTHORIZED,
  enrolment_token_refused: HttpStatus.UNAUTHORIZED,
  enrolment_token_not_found: HttpStatus.NOT_FOUND,
  agent_file_not_found: HttpStatus.NOT_FOUND,
  device_not_found: HttpStatus.NOT_FOUND,
  device_already_enrolled: HttpStatus.CONFLICT,
  device_unenrolled: HttpStatus.CONFLICT,
  invalid_device_command: HttpStatus.BAD_REQUEST,
  device_group_not_found: HttpStatus.NOT_FOUND,
  device_group_name_taken: HttpStatus.CONFLICT,
  job_not_found: HttpStatus.NOT_FOUND,
  schedule_not_found: HttpStatus.NOT_FOUND,
  no_target_devices: HttpStatus.CONFLICT,
  run_not_found: HttpStatus.NOT_FOUND,
  run_already_exists: HttpStatus.CONFLICT,
  run_not_active: HttpStatus.CONFLICT,
  invalid_run_report: HttpStatus.BAD_REQUEST,
  // on-call (libs/oncall)
  rotation_not_found: HttpStatus.NOT_FOUND,
  oncall_schedule_not_found: HttpStatus.NOT_FOUND,
  override_not_found: HttpStatus.NOT_FOUND,
  routing_rule_not_found: HttpStatus.NOT_FOUND,
  calendar_feed_not_found: HttpStatus.NOT_FOUND,
  oncall_name_taken: HttpStatus.CONFLICT,
  rotation_in_use: HttpStatus.CONFLICT,
  // notifications (libs/notifications)
  notification_not_found: HttpStatus.NOT_FOUND,
  push_subscription_not_found: HttpStatus.NOT_FOUND,
  push_unavailable: HttpStatus.NOT_FOUND,
  people_only: HttpStatus.FORBIDDEN,
  // transparency (libs/transparency)
  status_link_not_found: HttpStatus.NOT_FOUND,
  status_link_sender_only: HttpStatus.FORBIDDEN,
  status_link_private_task: HttpStatus.CONFLICT,
  end_user_request_closed: HttpStatus.CONFLICT,
  end_user_form_expired: HttpStatus.BAD_REQUEST,
  // attachments (libs/attachments)
  attachment_too_large: HttpStatus.PAYLOAD_TOO_LARGE,
  attachment_quota_exceeded: HttpStatus.PAYLOAD_TOO_LARGE,
  attachment_not_found: HttpStatus.NOT_FOUND,
  attachment_link_invalid: HttpStatus.FORBIDDEN,
  attachment_erased: HttpStatus.GONE,
  attachment_upload_invalid: HttpStatus.BAD_REQUEST,
  attachment_fetch_failed: HttpStatus.UNPROCESSABLE_ENTITY,
  // signed inbound events (libs/inbound)
  inbound_signature_invalid: HttpStatus.UNAUTHORIZED,
  inbound_timestamp_stale: HttpStatus.UNAUTHORIZED,
  inbound_replayed: HttpStatus.UNAUTHORIZED,
  inbound_action_not_allowed: HttpStatus.FORBIDDEN,
  inbound_source_not_found: HttpStatus.NOT_FOUND,
  inbound_source_invalid: HttpStatus.BAD_REQUEST,
  inbound_source_key_taken: HttpStatus.CONFLICT,
  // SLOs (libs/slo)
  slo_not_found: HttpStatus.NOT_FOUND,
};

// Fastify's refusals of bodies it cannot parse, said more plainly than its defaults.
const fastifyMessages: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'Malformed JSON body.',
  FST_ERR_CTP_EMPTY_JSON_BODY: "Body is empty but Content-Type is 'application/json'.",
  FST_ERR_CTP_BODY_TOO_LARGE: 'Request body is larger than the limit.',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'Unsupported Content-Type: send application/json.',
};

const reason = (status: number): string =>
  (HttpStatus[status] ?? 'ERROR')
    .toLowerCase()
    .split('_')
    .map((word) => word[0].toUpperCase() + word.slice(1))
    .join(' ');

/**
 * The one place that turns any error into a status and a JSON body, for HTTP and NATS alike.
 * `unexpected` is true for errors nobody planned for (logged with their stack, shown as 500).
 */
export function toErrorResponse(
  error: unknown,
  correlationId: string,
): { body: ErrorBody; unexpected: boolean; retryAfterSeconds?: number } {
  const make = (statusCode: number, message: string, details?: unknown) => ({
    body: { statusCode, error: reason(statusCode), message, ...(details === undefined ? {} : { details }), correlationId },
    unexpected: false,
  });

  if (error instanceof RejectedCommand) {
    const { rejection } = error;
    const details = 'status' in rejection ? { code: rejection.code, status: rejection.status } : { code: rejection.code };
    return make(rejectionStatus(rejection.code), rejection.message, details);
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    // Nest wraps Fastify's own refusals (unparsable JSON, body too large) in an HttpException.
    const fastifyCode = (error.cause as { code?: string } | undefined)?.code;
    if (fastifyCode && fastifyCode in fastifyMessages) return make(status, fastifyMessages[fastifyCode]);
    const response = error.getResponse();
    if (typeof response === 'object' && response !== null) {
      const { message, details } = response as { message?: unknown; details?: unknown };
      const text = Array.isArray(message) ? message.join('; ') : typeof message === 'string' ? message : error.message;
      return make(status, text, details);
    }
    return make(status, String(response));
  }
  const coded = error as Partial<CodedError>;
  if (typeof coded?.code === 'string' && coded.code in codedStatus) {
    // The code in details lets a client tell refusals of one status apart (the SPA does).
    const response = make(codedStatus[coded.code], coded.message ?? coded.code, coded.details ?? { code: coded.code });
    return coded.retryAfterSeconds === undefined ? response : { ...response, retryAfterSeconds: coded.retryAfterSeconds };
  }
  return {
    body: { statusCode: 500, error: 'Internal Server Error', message: 'Something went wrong on our side.', correlationId },
    unexpected: true,
  };
}
