import type { CodedError } from '@taskinbox/http';
import type { DeviceRejection, RunRejection } from './pure';

// Every refusal of the devices context, each with a stable code; libs/http/src/error-response.ts
// gives each code its status.

/** A decider's rejection, carried to the edge. */
export class DeviceCommandRefused extends Error implements CodedError {
  readonly code: string;
  constructor(rejection: RunRejection | DeviceRejection) {
    super(rejection.message);
    this.code = rejection.code;
    this.name = 'DeviceCommandRefused';
  }
}

const coded = (code: string, message: string, details?: unknown): CodedError & Error =>
  Object.assign(new Error(message), { code, ...(details === undefined ? {} : { details }) });

export const devicesErrors = {
  /** An agent's credentials (access token, signed challenge) are missing, wrong, expired or of an unenrolled device. */
  deviceAuthFailed: (message = 'Device credentials are missing, wrong or expired: sign a new challenge.') =>
    coded('device_auth_failed', message),
  /** The device proved its key, but it was unenrolled: its agent stops for good. */
  deviceUnenrolled: () => coded('device_unenrolled', 'This device has been unenrolled: enrol it again to use it.'),
  enrolmentTokenRefused: () =>
    coded('enrolment_token_refused', 'This enrolment token is unknown, already used, revoked or expired.'),
  enrolmentTokenNotFound: () => coded('enrolment_token_not_found', 'Enrolment token not found.'),
  agentFileNotFound: (file: string) =>
    coded(
      'agent_file_not_found',
      `No agent file '${file.slice(0, 100)}' here: install.sh, taskinbox-agent.service and taskinbox-agent.js are served once npm run build:agent has run.`,
    ),
  jobNotFound: () => coded('job_not_found', 'Job not found.'),
  groupNotFound: () => coded('device_group_not_found', 'Device group not found.'),
  scheduleNotFound: () => coded('schedule_not_found', 'Schedule not found.'),
  groupNameTaken: () => coded('device_group_name_taken', 'Another device group of this organisation has this name.'),
  noTargetDevices: (what: string) => coded('no_target_devices', `${what} has no enrolled device to run on.`),
  /** A field of an agent's report or an admin's request that the DTO could not judge alone. */
  invalid: (field: string, problem: string) =>
    coded('invalid_input', `${field} ${problem}`, [{ field, in: 'body', problems: [problem] }]),
};
