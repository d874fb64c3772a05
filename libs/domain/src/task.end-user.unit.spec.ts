import type { TaskCommand } from './task.commands';
import type { Actor, EndUserRequest, TaskEvent } from './task.events';
import { given, stateOf } from './testing-specification';

// A task waiting on its end user (libs/transparency): asked by who may work it or by its sender,
// answered once by the end user, whose answer is info and puts the task back in the queue.

const taskId = 'task-1';
const at = (minute: number): string => `2025-10-21T10:${String(minute).padStart(2, '0')}:00.000Z`;
const now = at(30);
const member: Actor = { kind: 'user', id: 'u-member', role: 'member' };
const other: Actor = { kind: 'user', id: 'u-other', role: 'member' };
const sender: Actor = { kind: 'service', id: 'svc-billing', name: 'billing' };
const crm: Actor = { kind: 'service', id: 'svc-crm', name: 'crm' };
const endUser: Actor = { kind: 'end_user', id: 'r-1' };
const request: EndUserRequest = { requestId: 'r-1', prompt: 'Which IBAN should we refund to?', form: { type: 'object' } };

const created: TaskEvent = {
  type: 'TaskCreated',
  data: { taskId, orgId: 'org-1', taskType: 't', payload: {}, source: sender, title: 'T', createdAt: at(0) },
};
const claimed: TaskEvent = { type: 'TaskClaimed', data: { taskId, by: member, claimedAt: at(1) } };
const asked = (by: Actor = member): TaskEvent => ({ type: 'TaskEndUserAsked', data: { taskId, by, ...request, askedAt: now } });
const ask = (by: Actor = member): TaskCommand => ({ type: 'AskEndUser', request, by, now });
const answer = (requestId = 'r-1', by: Actor = endUser): TaskCommand => ({ type: 'AnswerEndUser', requestId, answer: { iban: 'DE89' }, by, now });

describe('asking the end user', () => {
  it('puts a pending or claimed task to waiting, with what was asked', () => {
    given(created).when(ask()).then([asked()]);
    given(created, claimed).when(ask()).then([asked()]);
    given(created).when(ask(sender)).then([asked(sender)]);
    expect(stateOf(created, claimed, asked())).toMatchObject({ status: 'waiting', awaiting: { ...request, since: now } });
  });

  it('is refused to other services, to someone else than the claimer, and twice', () => {
    given(created).when(ask(crm)).thenRejects('action_not_allowed');
    given(created, claimed).when(ask(other)).thenRejects('not_the_claimer');
    given(created, asked()).when(ask()).thenRejects('illegal_transition');
  });

  it('needs a prompt and a form or a link', () => {
    given(created).when({ type: 'AskEndUser', request: { requestId: 'r-1', prompt: ' ', form: {} }, by: member, now }).thenRejects('invalid_task_command');
    given(created).when({ type: 'AskEndUser', request: { requestId: 'r-1', prompt: 'p' }, by: member, now }).thenRejects('invalid_task_command');
  });
});

describe('the end user answering', () => {
  it('posts the answer as info by the end user and puts the task back in the queue', () => {
    given(created, claimed, asked())
      .when(answer())
      .then([
        { type: 'TaskInfoPosted', data: { taskId, by: endUser, info: { iban: 'DE89' }, postedAt: now } },
        { type: 'TaskEndUserAnswered', data: { taskId, by: endUser, requestId: 'r-1', answeredAt: now } },
      ]);
    const task = stateOf(created, claimed, asked(), {
      type: 'TaskEndUserAnswered',
      data: { taskId, by: endUser, requestId: 'r-1', answeredAt: now },
    });
    expect(task).toMatchObject({ status: 'pending' });
    expect(task.exists && (task.processedBy ?? task.awaiting)).toBeUndefined();
  });

  it('counts once, only for the open request, and only from the end user', () => {
    const answered: TaskEvent = { type: 'TaskEndUserAnswered', data: { taskId, by: endUser, requestId: 'r-1', answeredAt: now } };
    given(created, asked(), answered).when(answer()).thenRejects('illegal_transition');
    given(created, asked()).when(answer('r-2')).thenRejects('illegal_transition');
    given(created, asked()).when(answer('r-1', member)).thenRejects('action_not_allowed');
    // A person resuming the task withdraws the request.
    const resumed: TaskEvent = { type: 'TaskStatusChanged', data: { taskId, by: member, from: 'waiting', to: 'pending', changedAt: now } };
    given(created, asked(), resumed).when(answer()).thenRejects('illegal_transition');
  });

  it('may do nothing else', () => {
    given(created, asked()).when({ type: 'PostTaskInfo', info: { a: 1 }, by: endUser, now }).thenRejects('action_not_allowed');
    given(created, asked()).when({ type: 'CancelTask', by: endUser, now }).thenRejects('action_not_allowed');
  });
});
