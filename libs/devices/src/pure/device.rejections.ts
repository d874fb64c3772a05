// Rejections are values: the deciders return them, the HTTP edge maps each code to a status in
// libs/http/src/error-response.ts.

export class RunNotFound {
  readonly code = 'run_not_found';
  readonly message = 'Run not found.';
}

export class RunAlreadyExists {
  readonly code = 'run_already_exists';
  readonly message = 'A different run with this id already exists.';
}

/** The run's status does not allow this (a report after the run was cancelled, say). */
export class RunNotActive {
  readonly code = 'run_not_active';
  constructor(
    readonly action: string,
    readonly status: string,
  ) {}
  get message(): string {
    return `Cannot ${this.action} a run whose status is '${this.status}'.`;
  }
}

export class InvalidRunReport {
  readonly code = 'invalid_run_report';
  constructor(readonly message: string) {}
}

export class DeviceNotFound {
  readonly code = 'device_not_found';
  readonly message = 'Device not found.';
}

export class DeviceAlreadyEnrolled {
  readonly code = 'device_already_enrolled';
  readonly message = 'A device with this id is already enrolled.';
}

export class DeviceUnenrolled {
  readonly code = 'device_unenrolled';
  readonly message = 'This device has been unenrolled.';
}

export class InvalidDeviceCommand {
  readonly code = 'invalid_device_command';
  constructor(readonly message: string) {}
}

export type RunRejection = RunNotFound | RunAlreadyExists | RunNotActive | InvalidRunReport;
export type DeviceRejection = DeviceNotFound | DeviceAlreadyEnrolled | DeviceUnenrolled | InvalidDeviceCommand;
