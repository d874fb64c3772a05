/**
 * NATS subjects between taskinbox and its devices, under the installation's prefix:
 * `<prefix>.devices.cmd.<deviceId>` carries wake-ups to one device (run ids, never scripts) and
 * `<prefix>.devices.from.<deviceId>.<kind>` what a device says (heartbeats). A device's NATS user
 * may subscribe to the first and publish to the second for its own id only (DEVICES.device).
 */
export const devicesToken = 'devices';
export const deviceCommandsToken = 'cmd';
export const deviceReportsToken = 'from';

export interface DeviceSubjects {
  /** The device subscribes here. */
  commands: string;
  /** The device publishes its heartbeats here. */
  heartbeat: string;
}

export function deviceSubjects(prefix: string, deviceId: string): DeviceSubjects {
  return {
    commands: `${prefix}.${devicesToken}.${deviceCommandsToken}.${deviceId}`,
    heartbeat: `${prefix}.${devicesToken}.${deviceReportsToken}.${deviceId}.heartbeat`,
  };
}

/** What taskinbox subscribes to for every device's reports: the device id is the fourth token. */
export const deviceReportsSubject = (prefix: string): string => `${prefix}.${devicesToken}.${deviceReportsToken}.*.*`;

/** The device id of a report subject, or undefined for any other subject. */
export function reportingDevice(prefix: string, subject: string): { deviceId: string; kind: string } | undefined {
  const tokens = subject.split('.');
  if (tokens.length !== 5 || tokens[0] !== prefix || tokens[1] !== devicesToken || tokens[2] !== deviceReportsToken)
    return undefined;
  return { deviceId: tokens[3], kind: tokens[4] };
}
