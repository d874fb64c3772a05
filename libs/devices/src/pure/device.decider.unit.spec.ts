import type { DeviceFacts } from '@taskinbox/device-protocol';
import { specification } from './decider.specification';
import { deviceDecider, type DeviceCommand } from './device.decider';
import type { DeviceEvent } from './device.events';

const { given } = specification(deviceDecider);
const deviceId = 'd-1';
const facts: DeviceFacts = { hostname: 'web-1', os: 'Debian 12', kernel: '6.1.0', arch: 'x64', agentVersion: '0.1.0' };
const enrol: DeviceCommand = {
  type: 'EnrolDevice',
  deviceId,
  orgId: 'org-1',
  name: ' web-1 ',
  publicKey: 'UKEY',
  enrolmentTokenId: 'tok-1',
  groupIds: ['g-1'],
  facts,
  labels: { role: 'web' },
  now: '2026-05-01T10:00:00.000Z',
};
const enrolled: DeviceEvent = {
  type: 'DeviceEnrolled',
  data: {
    deviceId,
    orgId: 'org-1',
    name: 'web-1',
    publicKey: 'UKEY',
    enrolmentTokenId: 'tok-1',
    groupIds: ['g-1'],
    facts,
    labels: { role: 'web' },
    enrolledAt: '2026-05-01T10:00:00.000Z',
  },
};
const unenrolled: DeviceEvent = {
  type: 'DeviceUnenrolled',
  data: { deviceId, by: 'user:u1', unenrolledAt: '2026-05-01T11:00:00.000Z' },
};

describe('device decider', () => {
  it('enrols once; the same key retrying is the same device, another key is refused', () => {
    given().when(enrol).then([enrolled]);
    given(enrolled).when(enrol).then([]);
    given(enrolled)
      .when({ ...enrol, publicKey: 'UOTHER' })
      .thenRejects('device_already_enrolled');
    given()
      .when({ ...enrol, name: '  ' })
      .thenRejects('invalid_device_command', /name/);
  });

  it('records facts only when they changed, whatever their key order', () => {
    const reordered = { agentVersion: '0.1.0', arch: 'x64', kernel: '6.1.0', os: 'Debian 12', hostname: 'web-1' };
    given(enrolled).when({ type: 'ReportFacts', facts: reordered, labels: { role: 'web' }, now: 'n' }).then([]);
    given(enrolled)
      .when({ type: 'ReportFacts', facts: { ...facts, kernel: '6.1.1' }, labels: { role: 'web' }, now: 'n' })
      .then([
        {
          type: 'DeviceFactsReported',
          data: { deviceId, facts: { ...facts, kernel: '6.1.1' }, labels: { role: 'web' }, reportedAt: 'n' },
        },
      ]);
  });

  it('unenrols once, and an unenrolled device reports nothing more', () => {
    given(enrolled).when({ type: 'UnenrolDevice', by: 'user:u1', now: '2026-05-01T11:00:00.000Z' }).then([unenrolled]);
    given(enrolled, unenrolled).when({ type: 'UnenrolDevice', by: 'user:u1', now: 'later' }).then([]);
    given(enrolled, unenrolled)
      .when({ type: 'ReportFacts', facts, labels: {}, now: 'n' })
      .thenRejects('device_unenrolled');
    given().when({ type: 'UnenrolDevice', by: 'user:u1', now: 'n' }).thenRejects('device_not_found');
  });

  it('renames an enrolled device', () => {
    given(enrolled)
      .when({ type: 'RenameDevice', name: 'web-one', by: 'user:u1', now: 'n' })
      .then([{ type: 'DeviceRenamed', data: { deviceId, name: 'web-one', by: 'user:u1', renamedAt: 'n' } }]);
    given(enrolled).when({ type: 'RenameDevice', name: 'web-1', by: 'user:u1', now: 'n' }).then([]);
  });
});
