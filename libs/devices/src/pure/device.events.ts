import type { DeviceFacts } from '@taskinbox/device-protocol';

// Past-tense facts about one enrolled device (stream `device-<id>`).

export type DeviceLabels = Record<string, string>;

export type DeviceEvent =
  | {
      type: 'DeviceEnrolled';
      data: {
        deviceId: string;
        orgId: string;
        name: string;
        /** The device's nkey (U…): its NATS user and the key it signs challenges with. */
        publicKey: string;
        enrolmentTokenId: string;
        groupIds: string[];
        facts: DeviceFacts;
        labels: DeviceLabels;
        enrolledAt: string;
      };
    }
  | { type: 'DeviceFactsReported'; data: { deviceId: string; facts: DeviceFacts; labels: DeviceLabels; reportedAt: string } }
  | { type: 'DeviceRenamed'; data: { deviceId: string; name: string; by: string; renamedAt: string } }
  | { type: 'DeviceUnenrolled'; data: { deviceId: string; by: string; unenrolledAt: string } };

export type DeviceEventType = DeviceEvent['type'];
export const deviceEventTypes: readonly DeviceEventType[] = [
  'DeviceEnrolled',
  'DeviceFactsReported',
  'DeviceRenamed',
  'DeviceUnenrolled',
];
