import type { RecordedEvent } from '@taskinbox/event-store';
import { createdTaskType, publicEventType, publicEventTypes, toEnvelope } from './event-envelope';
import { orgEventsSubject, taskEventSubject } from './event-subjects';

const recorded = (overrides: Partial<RecordedEvent> = {}): RecordedEvent => ({
  id: '0190a4e2-0000-7000-8000-000000000001',
  type: 'TaskStatusChanged',
  streamId: 'task-0190a4e2-0000-7000-8000-0000000000aa',
  revision: 3n,
  position: '00000000000000000042:00000000000000000007',
  data: { taskId: '0190a4e2-0000-7000-8000-0000000000aa', from: 'processing', to: 'waiting' },
  metadata: { orgId: '0190a4e2-0000-7000-8000-0000000000bb', actor: 'user:u1', correlationId: 'c1' },
  createdAt: new Date('2026-01-02T03:04:05.000Z'),
  ...overrides,
});

describe('public event types', () => {
  it('names every task event task.<snake_case> without the Task prefix', () => {
    expect(publicEventTypes).toEqual({
      TaskCreated: 'task.created',
      TaskClaimed: 'task.claimed',
      TaskReleased: 'task.released',
      TaskStatusChanged: 'task.status_changed',
      TaskCompleted: 'task.completed',
      TaskCancelled: 'task.cancelled',
      TaskCommented: 'task.commented',
      TaskUpdated: 'task.updated',
      TaskAttachmentAdded: 'task.attachment_added',
      TaskInfoPosted: 'task.info_posted',
      TaskAssigned: 'task.assigned',
      TaskUnassigned: 'task.unassigned',
      TaskActionRequested: 'task.action_requested',
      TaskActionSucceeded: 'task.action_succeeded',
      TaskActionFailed: 'task.action_failed',
      TaskDeleted: 'task.deleted',
      TaskPayloadErased: 'task.payload_erased',
      TaskEndUserAsked: 'task.end_user_asked',
      TaskEndUserAnswered: 'task.end_user_answered',
    });
    expect(publicEventType('TaskInfoPosted')).toBe('task.info_posted');
  });
});

describe('toEnvelope', () => {
  it('builds the public envelope of a recorded task event', () => {
    expect(toEnvelope(recorded(), 'refund.approval')).toEqual({
      id: '0190a4e2-0000-7000-8000-000000000001',
      type: 'task.status_changed',
      eventType: 'TaskStatusChanged',
      orgId: '0190a4e2-0000-7000-8000-0000000000bb',
      taskId: '0190a4e2-0000-7000-8000-0000000000aa',
      taskType: 'refund.approval',
      revision: 3,
      position: '00000000000000000042:00000000000000000007',
      occurredAt: '2026-01-02T03:04:05.000Z',
      actor: 'user:u1',
      correlationId: 'c1',
      data: { taskId: '0190a4e2-0000-7000-8000-0000000000aa', from: 'processing', to: 'waiting' },
    });
  });

  it('refuses events it has no public name for, and streams that are not tasks', () => {
    expect(() => toEnvelope(recorded({ type: 'TaskTeleported' }), 'x')).toThrow(
      /Unknown task event type 'TaskTeleported'/,
    );
    expect(() => toEnvelope(recorded({ streamId: 'idempotency-abc' }), 'x')).toThrow(/not a task stream/);
  });

  it("carries an SLO's burn-rate alert with the SLO id as taskId and the task type it watches", () => {
    const sloId = '0190a4e2-0000-7000-8000-0000000000bb';
    const envelope = toEnvelope(recorded({ streamId: `slo-${sloId}`, type: 'SloBurnRateAlerted', data: { sloId, taskType: 'refund', rule: 'fast' } }), 'refund');
    expect(envelope).toMatchObject({ type: 'slo.burn_rate_alerted', eventType: 'SloBurnRateAlerted', taskId: sloId, taskType: 'refund' });
    expect(() => toEnvelope(recorded({ streamId: `slo-${sloId}`, type: 'TaskCreated' }), 'x')).toThrow(/Unknown SLO event type 'TaskCreated'/);
  });

  it('reads the task type from TaskCreated only', () => {
    expect(createdTaskType(recorded({ type: 'TaskCreated', data: { taskType: 'user.onboard' } }))).toBe('user.onboard');
    expect(createdTaskType(recorded({ data: { taskType: 'user.onboard' } }))).toBeUndefined();
  });
});

describe('subjects', () => {
  it('puts org, event type and the task type (dots kept) in the subject', () => {
    expect(
      taskEventSubject('taskinbox.events', { orgId: 'org1', eventType: 'TaskClaimed', taskType: 'refund.approval' }),
    ).toBe('taskinbox.events.org1.TaskClaimed.refund.approval');
    expect(orgEventsSubject('taskinbox.events', 'org1')).toBe('taskinbox.events.org1.>');
  });

  it('never produces empty or wildcard tokens', () => {
    expect(taskEventSubject('p', { orgId: 'o', eventType: 'TaskCreated', taskType: 'a..b.' })).toBe(
      'p.o.TaskCreated.a._.b._',
    );
    expect(taskEventSubject('p', { orgId: 'o*', eventType: 'TaskCreated', taskType: 'a>b c' })).toBe(
      'p.o_.TaskCreated.a_b_c',
    );
  });
});
