import type { TaskCommand } from './task.commands';
import { allowedActions, evolve } from './task.decider';
import type { Actor, AssigneeRef, TaskEvent } from './task.events';
import { given, stateOf } from './testing-specification';
import { isVisibleTo } from './task.visibility';

// Assignment: a suggestion of owners (people or groups), recorded as TaskAssigned/TaskUnassigned.
// The claim stays the lock: assignment never changes status or processedBy.

const taskId = 'task-1';
const at = (minute: number): string => `2025-10-21T10:${String(minute).padStart(2, '0')}:00.000Z`;
const now = at(30);
const member: Actor = { kind: 'user', id: 'u-member', role: 'member' };
const viewer: Actor = { kind: 'user', id: 'u-viewer', role: 'viewer' };
const sender: Actor = { kind: 'service', id: 'svc-billing', name: 'billing' };
const otherService: Actor = { kind: 'service', id: 'svc-crm', name: 'crm' };
const ann: AssigneeRef = { kind: 'user', id: 'u-ann' };
const team: AssigneeRef = { kind: 'group', id: 'g-team' };

const created = (assignees?: unknown[]): TaskEvent =>
  ({
    type: 'TaskCreated',
    data: { taskId, orgId: 'org-1', taskType: 't', payload: {}, source: sender, title: 'T', createdAt: at(0), ...(assignees ? { assignees } : {}) },
  }) as TaskEvent;
const assigned = (assignee: AssigneeRef, by: Actor = member): TaskEvent => ({ type: 'TaskAssigned', data: { taskId, by, assignee, assignedAt: now } });
const unassigned = (assignee: AssigneeRef, by: Actor = member): TaskEvent => ({
  type: 'TaskUnassigned',
  data: { taskId, by, assignee, unassignedAt: now },
});
const assign = (assignee: AssigneeRef, by: Actor = member): TaskCommand => ({ type: 'AssignTask', assignee, by, now });
const unassign = (assignee: AssigneeRef, by: Actor = member): TaskCommand => ({ type: 'UnassignTask', assignee, by, now });

describe('assigning', () => {
  it('records a new assignee, and nothing when already assigned', () => {
    given(created()).when(assign(ann)).then([assigned(ann)]);
    given(created(), assigned(ann)).when(assign(ann)).then([]);
  });

  it('lets a member assign themselves (self-assign) without claiming', () => {
    const self: AssigneeRef = { kind: 'user', id: member.id };
    given(created()).when(assign(self)).then([assigned(self)]);
    const task = stateOf(created(), assigned(self));
    expect(task).toMatchObject({ status: 'pending', assignees: [self] });
    expect(task.exists && task.processedBy).toBeFalsy();
  });

  it('records an unassignment only of someone assigned', () => {
    given(created(), assigned(team)).when(unassign(team)).then([unassigned(team)]);
    given(created()).when(unassign(team)).then([]);
  });

  it('refuses viewers, services other than the sender, and finished tasks', () => {
    given(created()).when(assign(ann, viewer)).thenRejects('action_not_allowed');
    given(created()).when(assign(ann, otherService)).thenRejects('action_not_allowed');
    given(created()).when(assign(ann, sender)).then([assigned(ann, sender)]);
    given(created(), { type: 'TaskCancelled', data: { taskId, by: sender, cancelledAt: at(1) } })
      .when(assign(ann))
      .thenRejects('illegal_transition');
  });

  it('lets the system assign (on-call routing and escalation), but never claim or see less than people do', () => {
    const routing: Actor = { kind: 'system', id: 'oncall-routing', name: 'on-call routing' };
    given(created()).when(assign(ann, routing)).then([assigned(ann, routing)]);
    given(created()).when({ type: 'ClaimTask', by: routing, now }).thenRejects('action_not_allowed');
    expect(isVisibleTo({ private: true, source: sender }, routing)).toBe(true);
    expect(isVisibleTo({ private: true, source: sender }, otherService)).toBe(false);
  });

  it('records a new assignee list (PATCH) as who was unassigned and who was assigned', () => {
    given(created(), assigned(ann))
      .when({ type: 'UpdateTaskDetails', changes: { assignees: [team, team] }, by: member, now })
      .then([unassigned(ann), assigned(team)]);
    given(created(), assigned(ann))
      .when({ type: 'UpdateTaskDetails', changes: { assignees: [ann], priority: 'high' }, by: member, now })
      .then([{ type: 'TaskUpdated', data: { taskId, by: member, changes: { priority: 'high' }, updatedAt: now } }]);
  });

  it('is offered to workers and the sender as the assign action', () => {
    expect(allowedActions(stateOf(created()), member)).toContain('assign');
    expect(allowedActions(stateOf(created()), otherService)).not.toContain('assign');
  });
});

describe('assignees of tasks from before assignees were checked', () => {
  it('reads UUID strings as people and keeps anything else as legacy labels', () => {
    const id = '0190c3a4-1111-7000-8000-000000000001';
    const task = stateOf(created([id, 'ann@example.com']));
    expect(task).toMatchObject({ assignees: [{ kind: 'user', id }], legacyAssignees: ['ann@example.com'] });
  });

  it('reads a stored fold with string assignees the same way when the next event comes', () => {
    const old = { ...stateOf(created()), assignees: ['bob@example.com'] } as never;
    const next = evolve(old, assigned(ann));
    expect(next).toMatchObject({ assignees: [ann], legacyAssignees: ['bob@example.com'] });
  });
});
