import type { DeviceFacts } from '@taskinbox/device-protocol';
import {
  DeviceAlreadyEnrolled,
  DeviceNotFound,
  type DeviceRejection,
  DeviceUnenrolled,
  InvalidDeviceCommand,
} from './device.rejections';
import type { DeviceEvent, DeviceLabels } from './device.events';

// The device as a pure decider, in the style of the task's and the run's.

export type DeviceCommand =
  | {
      type: 'EnrolDevice';
      deviceId: string;
      orgId: string;
      name: string;
      publicKey: string;
      enrolmentTokenId: string;
      groupIds: string[];
      facts: DeviceFacts;
      labels: DeviceLabels;
      now: string;
    }
  | { type: 'ReportFacts'; facts: DeviceFacts; labels: DeviceLabels; now: string }
  | { type: 'RenameDevice'; name: string; by: string; now: string }
  | { type: 'UnenrolDevice'; by: string; now: string };

export interface ExistingDevice {
  exists: true;
  deviceId: string;
  orgId: string;
  name: string;
  publicKey: string;
  facts: DeviceFacts;
  labels: DeviceLabels;
  enrolled: boolean;
  version: number;
}

export type Device = { exists: false } | ExistingDevice;
export type DeviceDecision = { ok: true; events: DeviceEvent[] } | { ok: false; rejection: DeviceRejection };

export const deviceStreamName = (deviceId: string): string => `device-${deviceId}`;
export const initialDevice = (): Device => ({ exists: false });
export const DEVICE_NAME_MAX_LENGTH = 100;

export function evolveDevice(state: Device, event: DeviceEvent): Device {
  if (event.type === 'DeviceEnrolled') {
    const { deviceId, orgId, name, publicKey, facts, labels } = event.data;
    return { exists: true, deviceId, orgId, name, publicKey, facts, labels, enrolled: true, version: 1 };
  }
  if (!state.exists) return state;
  const device = { ...state, version: state.version + 1 };
  switch (event.type) {
    case 'DeviceFactsReported':
      return { ...device, facts: event.data.facts, labels: event.data.labels };
    case 'DeviceRenamed':
      return { ...device, name: event.data.name };
    case 'DeviceUnenrolled':
      return { ...device, enrolled: false };
  }
}

export function decideDevice(command: DeviceCommand, state: Device): DeviceDecision {
  if (command.type === 'EnrolDevice') {
    if (state.exists) {
      // The agent retried an enrolment whose answer it lost: same key, same device.
      return state.publicKey === command.publicKey ? accept() : reject(new DeviceAlreadyEnrolled());
    }
    const name = command.name.trim();
    if (!name || name.length > DEVICE_NAME_MAX_LENGTH)
      return reject(new InvalidDeviceCommand(`name must be 1-${DEVICE_NAME_MAX_LENGTH} characters`));
    const { type: _type, now, ...data } = command;
    return accept({ type: 'DeviceEnrolled', data: { ...data, name, enrolledAt: now } });
  }
  if (!state.exists) return reject(new DeviceNotFound());
  const { deviceId } = state;
  switch (command.type) {
    case 'UnenrolDevice':
      if (!state.enrolled) return accept();
      return accept({ type: 'DeviceUnenrolled', data: { deviceId, by: command.by, unenrolledAt: command.now } });
    case 'ReportFacts': {
      if (!state.enrolled) return reject(new DeviceUnenrolled());
      const same =
        canonical(state.facts) === canonical(command.facts) && canonical(state.labels) === canonical(command.labels);
      if (same) return accept();
      return accept({
        type: 'DeviceFactsReported',
        data: { deviceId, facts: command.facts, labels: command.labels, reportedAt: command.now },
      });
    }
    case 'RenameDevice': {
      if (!state.enrolled) return reject(new DeviceUnenrolled());
      const name = command.name.trim();
      if (!name || name.length > DEVICE_NAME_MAX_LENGTH)
        return reject(new InvalidDeviceCommand(`name must be 1-${DEVICE_NAME_MAX_LENGTH} characters`));
      if (name === state.name) return accept();
      return accept({ type: 'DeviceRenamed', data: { deviceId, name, by: command.by, renamedAt: command.now } });
    }
  }
}

export const deviceDecider = { decide: decideDevice, evolve: evolveDevice, initialState: initialDevice };

/** JSON with keys sorted: facts reported in another key order are the same facts. */
function canonical(value: object): string {
  return JSON.stringify(Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
}

const accept = (...events: DeviceEvent[]): DeviceDecision => ({ ok: true, events });
const reject = (rejection: DeviceRejection): DeviceDecision => ({ ok: false, rejection });
