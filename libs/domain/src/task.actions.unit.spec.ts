import type { TaskCommand } from './task.commands';
import { actionResponseExcerptBytes } from './task.decider';
import type { Actor, TaskActionRequest, TaskActionResult, TaskEvent } from './task.events';
import { given } from './testing-specification';

// Custom actions: not state changes. A request is recorded once per action id, by the roles
// the action names; its outcome is recorded once, whatever retries or racing workers report.

const taskId = 'task-1';
const at = (minute: number): string => `2025-10-21T10:${String(minute).padStart(2, '0')}:00.000Z`;
const now = at(30);
const admin: Actor = { kind: 'user', id: 'u-admin', role: 'admin' };
const member: Actor = { kind: 'user', id: 'u-member', role: 'member' };
const sender: Actor = { kind: 'service', id: 'svc-billing', name: 'billing' };
const worker: Actor = { kind: 'service', id: 'taskinbox-actions', name: 'custom actions' };

const created: TaskEvent = {
  type: 'TaskCreated',
  data: { taskId, orgId: 'org-1', taskType: 'refund', typeVersion: 1, payload: { orderId: 'o-7' }, source: sender, title: 'T', createdAt: at(0) },
};
const request: TaskActionRequest = { actionId: 'a-1', key: 'refund', label: 'Refund', args: { orderId: 'o-7' }, typeVersion: 1 };
const requested = (by: Actor = admin): TaskEvent => ({ type: 'TaskActionRequested', data: { ...request, taskId, by, requestedAt: at(1) } });
const ask = (by: Actor, roles: string[] = ['admin']): TaskCommand => ({ type: 'RequestTaskAction', request, roles, by, now });
const result: TaskActionResult = { actionId: 'a-1', key: 'refund', statusCode: 200, response: '{"ok":true}', attempts: 1 };
const report = (outcome: 'succeeded' | 'failed', extra: Partial<TaskActionResult> = {}, info?: Record<string, unknown>): TaskCommand => ({
  type: 'RecordTaskActionResult',
  outcome,
  result: { ...result, ...extra },
  ...(info ? { info } : {}),
  by: worker,
  now,
});

describe('requesting an action', () => {
  it('records the request for a role the action names', () => {
    given(created).when(ask(admin)).then([{ type: 'TaskActionRequested', data: { ...request, taskId, by: admin, requestedAt: now } }]);
  });

  it('refuses roles the action does not name, and services', () => {
    given(created).when(ask(member)).thenRejects('action_not_allowed');
    given(created).when(ask(sender, ['admin', 'member', 'viewer'])).thenRejects('action_not_allowed');
  });

  it('is allowed whatever the status, since it changes nothing about the task', () => {
    const cancelled: TaskEvent = { type: 'TaskCancelled', data: { taskId, by: admin, cancelledAt: at(1) } };
    given(created, cancelled).when(ask(admin)).then([{ type: 'TaskActionRequested', data: { ...request, taskId, by: admin, requestedAt: now } }]);
  });

  it('records nothing when the same action id is asked again', () => {
    given(created, requested()).when(ask(admin)).then([]);
  });
});

describe('recording an outcome', () => {
  it('records success for the one who asked, then nothing on a retried report', () => {
    const succeeded: TaskEvent = { type: 'TaskActionSucceeded', data: { ...result, taskId, by: admin, succeededAt: now } };
    given(created, requested()).when(report('succeeded')).then([succeeded]);
    given(created, requested(), succeeded).when(report('succeeded')).then([]);
    given(created, requested(), succeeded).when(report('failed')).then([]);
  });

  it('records failure with the status and error', () => {
    given(created, requested())
      .when(report('failed', { statusCode: 500, error: 'http_status', attempts: 3 }))
      .then([{ type: 'TaskActionFailed', data: { ...result, statusCode: 500, error: 'http_status', attempts: 3, taskId, by: admin, failedAt: now } }]);
  });

  it('keeps at most the excerpt cap of the response, without splitting a character', () => {
    const long = `${'x'.repeat(actionResponseExcerptBytes - 1)}é and more`;
    const decided = given(created, requested()).when(report('succeeded', { response: long }));
    decided.then([
      { type: 'TaskActionSucceeded', data: { ...result, response: 'x'.repeat(actionResponseExcerptBytes - 1), taskId, by: admin, succeededAt: now } },
    ]);
  });

  it('posts the response back as info with a success when the action says so', () => {
    given(created, requested())
      .when(report('succeeded', {}, { refundId: 'r-1' }))
      .then([
        { type: 'TaskActionSucceeded', data: { ...result, taskId, by: admin, succeededAt: now } },
        { type: 'TaskInfoPosted', data: { taskId, by: admin, info: { refundId: 'r-1' }, note: "Response of the action 'refund'", postedAt: now } },
      ]);
  });

  it('refuses an outcome for an action never requested', () => {
    given(created).when(report('succeeded')).thenRejects('invalid_task_command');
  });
});
