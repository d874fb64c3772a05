import { checkTaskEvent } from './task-event.check';
import { natsNames, taskEventSubject } from './event-subjects';

const names = natsNames('taskinbox');
const acme = '0190a4e2-0000-7000-8000-0000000000aa';
const globex = '0190a4e2-0000-7000-8000-0000000000bb';
const envelope = {
  id: '0190a4e2-0000-7000-8000-000000000001',
  type: 'task.claimed',
  eventType: 'TaskClaimed' as const,
  orgId: acme,
  taskId: '0190a4e2-0000-7000-8000-0000000000cc',
  taskType: 'refund.approval',
  revision: 1,
  position: '00000000000000000042:00000000000000000007',
  occurredAt: '2026-01-02T03:04:05.000Z',
  actor: 'user:u1',
  correlationId: 'c1',
  data: { taskId: '0190a4e2-0000-7000-8000-0000000000cc' },
};
const subject = taskEventSubject(names.events, envelope);
const bytes = (value: unknown) => new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));
const check = (value: unknown, on = subject) => checkTaskEvent(on, bytes(value), names);

describe('checkTaskEvent', () => {
  it('takes an envelope of the schema on its own subject, without fields it does not know', () => {
    expect(check({ ...envelope, injected: '<script>' })).toEqual({ envelope });
    expect(check({ ...envelope, data: null, dataOmitted: true }).envelope).toMatchObject({
      data: null,
      dataOmitted: true,
    });
  });

  it("refuses an envelope of another organisation, event type or task type than its subject's", () => {
    expect(check({ ...envelope, orgId: globex })).toMatchObject({ rejection: 'subject' });
    expect(check({ ...envelope, eventType: 'TaskCompleted', type: 'task.completed' })).toMatchObject({
      rejection: 'subject',
    });
    expect(check({ ...envelope, taskType: 'user.onboard' })).toMatchObject({ rejection: 'subject' });
    expect(check(envelope, `other.events.${acme}.TaskClaimed.refund.approval`)).toMatchObject({ rejection: 'subject' });
  });

  it('refuses what does not follow the schema, naming the field', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ type: 'task.claimed\ndata: {"forged":true}\n\n' }, 'type'],
      [{ type: 'task.completed' }, 'type'],
      [{ eventType: 'TaskTeleported' }, 'eventType'],
      [{ id: 'not-a-uuid' }, 'id'],
      [{ orgId: undefined }, 'orgId'],
      [{ revision: -1 }, 'revision'],
      [{ revision: '1' }, 'revision'],
      [{ position: '42\nevent: x' }, 'position'],
      [{ occurredAt: 'yesterday' }, 'occurredAt'],
      [{ actor: 'user:\u0000' }, 'actor'],
      [{ correlationId: '' }, 'correlationId'],
      [{ data: [1, 2] }, 'data'],
      [{ dataOmitted: false }, 'dataOmitted'],
      [{ taskType: 'Refund Approval' }, 'taskType'],
    ];
    for (const [change, field] of cases) {
      expect(check({ ...envelope, ...change })).toEqual({
        rejection: 'schema',
        problem: `${field} is missing or malformed`,
      });
    }
    expect(check([envelope])).toMatchObject({ rejection: 'schema' });
  });

  it('refuses bodies that are not UTF-8 JSON', () => {
    expect(check('{"id":')).toMatchObject({ rejection: 'unreadable' });
    expect(checkTaskEvent(subject, new Uint8Array([0x7b, 0xff, 0x7d]), names)).toMatchObject({
      rejection: 'unreadable',
    });
  });
});
