import { allowedActions } from './task.decider';
import type { Actor, TaskEvent } from './task.events';
import { given, stateOf } from './testing-specification';

// Deleting a task (a tombstone) and erasing its payload: admins only.

const taskId = 'task-1';
const now = '2025-10-21T10:30:00.000Z';
const admin: Actor = { kind: 'user', id: 'u-admin', role: 'admin' };
const member: Actor = { kind: 'user', id: 'u-member', role: 'member' };
const sender: Actor = { kind: 'service', id: 'svc-billing', name: 'billing' };
const created: TaskEvent = {
  type: 'TaskCreated',
  data: { taskId, orgId: 'org-1', taskType: 't', payload: { card: '4242' }, source: sender, title: 'T', createdAt: '2025-10-21T10:00:00.000Z' },
};
const deleted: TaskEvent = { type: 'TaskDeleted', data: { taskId, by: admin, deletedAt: now } };
const erased: TaskEvent = { type: 'TaskPayloadErased', data: { taskId, by: admin, erasedAt: now } };

describe('deleting a task', () => {
  it('records a tombstone by an admin, whatever the status', () => {
    given(created).when({ type: 'DeleteTask', reason: ' spam ', by: admin, now }).then([
      { type: 'TaskDeleted', data: { taskId, by: admin, reason: 'spam', deletedAt: now } },
    ]);
  });

  it('is refused to members and services', () => {
    given(created).when({ type: 'DeleteTask', by: member, now }).thenRejects('action_not_allowed');
    given(created).when({ type: 'DeleteTask', by: sender, now }).thenRejects('action_not_allowed');
  });

  it('leaves a task that answers as missing to every command but erasure, and offers nothing', () => {
    given(created, deleted).when({ type: 'CommentOnTask', commentId: 'c', body: 'hi', by: admin, now }).thenRejects('task_not_found');
    given(created, deleted).when({ type: 'DeleteTask', by: admin, now }).thenRejects('task_not_found');
    given(created, deleted).when({ type: 'EraseTaskPayload', by: admin, now }).then([erased]);
    expect(allowedActions(stateOf(created, deleted), admin)).toEqual([]);
  });
});

describe("erasing a task's payload", () => {
  it('records the erasure once and empties the payload', () => {
    given(created).when({ type: 'EraseTaskPayload', by: admin, now }).then([erased]);
    given(created, erased).when({ type: 'EraseTaskPayload', by: admin, now }).then([]);
    expect(stateOf(created, erased)).toMatchObject({ payload: {}, payloadErased: true });
  });

  it('is refused to members', () => {
    given(created).when({ type: 'EraseTaskPayload', by: member, now }).thenRejects('action_not_allowed');
  });
});
