import type { TaskCommand } from './task.commands';
import {
  allowedActions,
  COMMENT_MAX_LENGTH,
  decide,
  isTerminal,
  RESOLUTION_MAX_LENGTH,
  taskActions,
  taskDecider,
  taskStreamName,
  type TaskAction,
} from './task.decider';
import { ActionNotAllowed, IllegalTransition, NotTheClaimer, TaskAlreadyClaimed } from './task.errors';
import type { Actor, Attachment, TaskDetails, TaskEvent, TaskStatus } from './task.events';
import { given, stateOf } from './testing-specification';

const taskId = 'task-1';
const at = (minute: number): string => `2025-10-21T10:${String(minute).padStart(2, '0')}:00.000Z`;
const now = at(30);

const admin: Actor = { kind: 'user', id: 'u-admin', role: 'admin' };
const admin2: Actor = { kind: 'user', id: 'u-admin-2', role: 'admin' };
const member: Actor = { kind: 'user', id: 'u-member', role: 'member' };
const member2: Actor = { kind: 'user', id: 'u-member-2', role: 'member' };
const viewer: Actor = { kind: 'user', id: 'u-viewer', role: 'viewer' };
const sender: Actor = { kind: 'service', id: 'svc-billing', name: 'billing' };
const otherService: Actor = { kind: 'service', id: 'svc-crm', name: 'crm' };
const actors = { admin, admin2, member, member2, viewer, sender, otherService };
const workers = { admin, member };
const services = { sender, otherService };

// --- events -----------------------------------------------------------------------------------

const created = (by: Actor = sender, minute = 0): TaskEvent => ({
  type: 'TaskCreated',
  data: {
    taskId,
    orgId: 'org-1',
    taskType: 'refund.approve',
    payload: { amount: 42 },
    source: by,
    title: 'Approve refund',
    tags: ['billing', 'eu'],
    createdAt: at(minute),
  },
});
const claimed = (by: Actor, minute = 1): TaskEvent => ({
  type: 'TaskClaimed',
  data: { taskId, by, claimedAt: at(minute) },
});
const held = (by: Actor, from: TaskStatus, minute = 2): TaskEvent => ({
  type: 'TaskStatusChanged',
  data: { taskId, by, from, to: 'waiting', changedAt: at(minute) },
});
const completed = (by: Actor, minute = 3): TaskEvent => ({
  type: 'TaskCompleted',
  data: { taskId, by, resolution: 'accepted', completedAt: at(minute) },
});
const cancelled = (by: Actor, minute = 3): TaskEvent => ({
  type: 'TaskCancelled',
  data: { taskId, by, cancelledAt: at(minute) },
});

/** One history per reachable situation; the claimer, where there is one, is `member`. */
const histories: Record<string, TaskEvent[]> = {
  pending: [created()],
  processing: [created(), claimed(member)],
  'waiting (claimed)': [created(), claimed(member), held(member, 'processing')],
  'waiting (unclaimed)': [created(), held(member, 'pending')],
  completed: [created(), claimed(member), completed(member)],
  cancelled: [created(), cancelled(admin)],
};
const statusOf = (name: string): TaskStatus => {
  const task = stateOf(...histories[name]);
  if (!task.exists) throw new Error(`history ${name} has no task`);
  return task.status;
};
const historyNames = Object.keys(histories);
const terminalHistories = ['completed', 'cancelled'];
const liveHistories = historyNames.filter((name) => !terminalHistories.includes(name));

// --- commands ---------------------------------------------------------------------------------

const attachment: Attachment = { id: 'att-1', name: 'invoice.pdf', url: 'https://files.example/invoice.pdf' };

const create = (by: Actor = sender, details: Partial<TaskDetails> = {}): TaskCommand => ({
  type: 'CreateTask',
  data: {
    taskId,
    orgId: 'org-1',
    taskType: 'refund.approve',
    payload: { amount: 42 },
    title: 'Approve refund',
    ...details,
  },
  by,
  now,
});
const claim = (by: Actor): TaskCommand => ({ type: 'ClaimTask', by, now });
const release = (by: Actor): TaskCommand => ({ type: 'ReleaseTask', by, now });
const complete = (by: Actor, resolution = 'accepted', note?: string): TaskCommand => ({
  type: 'CompleteTask',
  resolution,
  ...(note === undefined ? {} : { note }),
  by,
  now,
});
const hold = (by: Actor, reason?: string): TaskCommand => ({
  type: 'PutTaskOnHold',
  ...(reason ? { reason } : {}),
  by,
  now,
});
const resume = (by: Actor): TaskCommand => ({ type: 'ResumeTask', by, now });
const cancel = (by: Actor, reason?: string): TaskCommand => ({
  type: 'CancelTask',
  ...(reason ? { reason } : {}),
  by,
  now,
});
const comment = (by: Actor, body = 'Looks fine'): TaskCommand => ({
  type: 'CommentOnTask',
  commentId: 'c-1',
  body,
  by,
  now,
});
const update = (by: Actor, changes: Partial<TaskDetails> = { title: 'Approve partial refund' }): TaskCommand => ({
  type: 'UpdateTaskDetails',
  changes,
  by,
  now,
});
const attach = (by: Actor, file: Attachment = attachment): TaskCommand => ({
  type: 'AddTaskAttachment',
  attachment: file,
  by,
  now,
});
const postInfo = (by: Actor, info: Record<string, unknown> = { orderId: 'o-7' }): TaskCommand => ({
  type: 'PostTaskInfo',
  info,
  by,
  now,
});

/** A well-formed command for each action, so only who/when decides acceptance. */
const probe = (action: TaskAction, by: Actor): TaskCommand =>
  ({
    claim: claim(by),
    release: release(by),
    complete: complete(by),
    hold: hold(by),
    resume: resume(by),
    cancel: cancel(by),
    comment: comment(by),
    update: update(by),
    assign: { type: 'AssignTask', assignee: { kind: 'user', id: 'u-someone' }, by, now } as const,
    attach: attach(by),
    post_info: postInfo(by),
  })[action];

// --- specs ------------------------------------------------------------------------------------

describe('CreateTask', () => {
  it.each(Object.entries({ ...services, ...workers }))('%s creates a pending task it is the source of', (_, by) => {
    given()
      .when(create(by, { title: '  Approve refund  ', tags: ['billing', 'eu'] }))
      .then([created(by, 30)]);
    expect(stateOf(created(by))).toMatchObject({ exists: true, id: taskId, status: 'pending', source: by, version: 1 });
  });

  it('rejects a second creation of the same task', () => {
    given(created()).when(create()).thenRejects('task_already_exists');
  });

  it('rejects a viewer', () => {
    given().when(create(viewer)).thenRejects('action_not_allowed');
  });

  it.each(['', '   '])('rejects the empty title %j', (title) => {
    given()
      .when(create(sender, { title }))
      .thenRejects({ code: 'invalid_task_command', message: 'title must not be empty' });
  });
});

describe('a task that does not exist', () => {
  it.each(taskActions)('rejects %s with TaskNotFound', (action) => {
    given().when(probe(action, admin)).thenRejects('task_not_found');
  });
});

describe('a viewer', () => {
  it.each(historyNames.flatMap((name) => taskActions.map((action) => [action, name] as const)))(
    'may not %s a %s task',
    (action, name) => {
      given(...histories[name])
        .when(probe(action, viewer))
        .thenRejects('action_not_allowed');
    },
  );
});

describe('ClaimTask', () => {
  it.each(Object.entries(workers))('lets %s claim a pending task', (_, by) => {
    given(created())
      .when(claim(by))
      .then([claimed(by, 30)]);
    expect(stateOf(created(), claimed(by, 30))).toMatchObject({
      status: 'processing',
      processedBy: by.id,
      processedAt: now,
    });
  });

  it.each(Object.entries(services))('rejects the service %s', (_, by) => {
    given(created()).when(claim(by)).thenRejects('action_not_allowed');
  });

  it('accepts a repeated claim by the claimer without recording anything', () => {
    given(...histories.processing)
      .when(claim(member))
      .then([]);
  });

  it.each(Object.entries({ admin, member2 }))('tells %s the task is already claimed', (_, by) => {
    given(...histories.processing)
      .when(claim(by))
      .thenRejects(new TaskAlreadyClaimed());
    expect(new TaskAlreadyClaimed().message).toBe('Task is already being processed by another user.');
  });

  it.each(['waiting (claimed)', 'waiting (unclaimed)', 'completed', 'cancelled'])(
    'cannot claim a %s task, even as its claimer',
    (name) => {
      given(...histories[name])
        .when(claim(member))
        .thenRejects(new IllegalTransition('claim', statusOf(name)));
    },
  );
});

describe('ReleaseTask', () => {
  const released = (by: Actor, forced: boolean): TaskEvent => ({
    type: 'TaskReleased',
    data: { taskId, by, previousClaimer: member.id, forced, releasedAt: now },
  });

  it.each(['processing', 'waiting (claimed)'])('lets the claimer release a %s task', (name) => {
    given(...histories[name])
      .when(release(member))
      .then([released(member, false)]);
    expect(stateOf(...histories[name], released(member, false))).toMatchObject({
      status: 'pending',
      processedBy: undefined,
      processedAt: undefined,
    });
  });

  it('is not forced when an admin releases their own claim', () => {
    given(created(), claimed(admin))
      .when(release(admin))
      .then([
        {
          type: 'TaskReleased',
          data: { taskId, by: admin, previousClaimer: admin.id, forced: false, releasedAt: now },
        },
      ]);
  });

  it.each(['processing', 'waiting (claimed)'])("lets an admin force-release someone else's %s task", (name) => {
    given(...histories[name])
      .when(release(admin))
      .then([released(admin, true)]);
  });

  it.each(['processing', 'waiting (claimed)'])('rejects another member on a %s task', (name) => {
    given(...histories[name])
      .when(release(member2))
      .thenRejects(new NotTheClaimer('release'));
  });

  it.each(Object.entries(services))('rejects the service %s', (_, by) => {
    given(...histories.processing)
      .when(release(by))
      .thenRejects('action_not_allowed');
  });

  it.each(['pending', 'waiting (unclaimed)', 'completed', 'cancelled'])('cannot release a %s task', (name) => {
    given(...histories[name])
      .when(release(admin))
      .thenRejects(new IllegalTransition('release', statusOf(name)));
  });
});

describe('CompleteTask', () => {
  it.each(['processing', 'waiting (claimed)'])('lets the claimer complete a %s task', (name) => {
    const done: TaskEvent = {
      type: 'TaskCompleted',
      data: { taskId, by: member, resolution: 'rejected', note: 'duplicate', completedAt: now },
    };
    given(...histories[name])
      .when(complete(member, '  rejected ', ' duplicate '))
      .then([done]);
    expect(stateOf(...histories[name], done)).toMatchObject({
      status: 'completed',
      resolution: 'rejected',
      completedAt: now,
      processedBy: member.id,
    });
  });

  it.each(
    ['processing', 'waiting (claimed)'].flatMap((name) => [admin, member2].map((by) => [by.id, name, by] as const)),
  )('rejects %s, who is not the claimer of the %s task', (_, name, by) => {
    given(...histories[name])
      .when(complete(by))
      .thenRejects(new NotTheClaimer('complete'));
  });

  it.each(Object.entries(services))('rejects the service %s', (_, by) => {
    given(...histories.processing)
      .when(complete(by))
      .thenRejects('action_not_allowed');
  });

  it.each([
    ['empty', '', 'resolution must not be empty'],
    ['blank', '   ', 'resolution must not be empty'],
    ['too long', 'x'.repeat(RESOLUTION_MAX_LENGTH + 1), 'resolution must be at most 100 characters'],
  ])('rejects an %s resolution', (_, resolution, message) => {
    given(...histories.processing)
      .when(complete(member, resolution))
      .thenRejects({ code: 'invalid_task_command', message });
  });

  it('accepts a resolution of exactly the maximum length', () => {
    const resolution = 'x'.repeat(RESOLUTION_MAX_LENGTH);
    given(...histories.processing)
      .when(complete(member, resolution))
      .then([{ type: 'TaskCompleted', data: { taskId, by: member, resolution, completedAt: now } }]);
  });

  it.each(['pending', 'waiting (unclaimed)', 'completed', 'cancelled'])('cannot complete a %s task', (name) => {
    given(...histories[name])
      .when(complete(member))
      .thenRejects(new IllegalTransition('complete', statusOf(name)));
  });
});

describe('PutTaskOnHold', () => {
  const onHold = (by: Actor, from: TaskStatus, reason?: string): TaskEvent => ({
    type: 'TaskStatusChanged',
    data: { taskId, by, from, to: 'waiting', ...(reason ? { reason } : {}), changedAt: now },
  });

  it.each(Object.entries({ admin, member, member2 }))('lets %s put a pending task on hold', (_, by) => {
    given(...histories.pending)
      .when(hold(by, ' waiting for customer '))
      .then([onHold(by, 'pending', 'waiting for customer')]);
  });

  it.each(Object.entries({ claimer: member, admin }))('lets the %s put a processing task on hold', (_, by) => {
    given(...histories.processing)
      .when(hold(by))
      .then([onHold(by, 'processing')]);
  });

  it('keeps the claimer while waiting', () => {
    expect(stateOf(...histories.processing, onHold(member, 'processing'))).toMatchObject({
      status: 'waiting',
      processedBy: member.id,
      processedAt: at(1),
    });
  });

  it('rejects another member on a processing task', () => {
    given(...histories.processing)
      .when(hold(member2))
      .thenRejects(new NotTheClaimer('hold'));
  });

  it.each(Object.entries(services))('rejects the service %s', (_, by) => {
    given(...histories.pending)
      .when(hold(by))
      .thenRejects('action_not_allowed');
  });

  it.each(['waiting (claimed)', 'waiting (unclaimed)', 'completed', 'cancelled'])(
    'cannot put a %s task on hold',
    (name) => {
      given(...histories[name])
        .when(hold(admin))
        .thenRejects(new IllegalTransition('put on hold', statusOf(name)));
    },
  );
});

describe('ResumeTask', () => {
  const resumed = (by: Actor, to: TaskStatus): TaskEvent => ({
    type: 'TaskStatusChanged',
    data: { taskId, by, from: 'waiting', to, changedAt: now },
  });

  it.each(Object.entries({ claimer: member, admin }))('lets the %s resume a claimed task to processing', (_, by) => {
    given(...histories['waiting (claimed)'])
      .when(resume(by))
      .then([resumed(by, 'processing')]);
    expect(stateOf(...histories['waiting (claimed)'], resumed(by, 'processing'))).toMatchObject({
      status: 'processing',
      processedBy: member.id,
    });
  });

  it('rejects another member on a claimed task', () => {
    given(...histories['waiting (claimed)'])
      .when(resume(member2))
      .thenRejects(new NotTheClaimer('resume'));
  });

  it.each(Object.entries({ admin, member, member2 }))('lets %s resume an unclaimed task to pending', (_, by) => {
    given(...histories['waiting (unclaimed)'])
      .when(resume(by))
      .then([resumed(by, 'pending')]);
  });

  it.each(Object.entries(services))('rejects the service %s', (_, by) => {
    given(...histories['waiting (unclaimed)'])
      .when(resume(by))
      .thenRejects('action_not_allowed');
  });

  it.each(['pending', 'processing', 'completed', 'cancelled'])('cannot resume a %s task', (name) => {
    given(...histories[name])
      .when(resume(admin))
      .thenRejects(new IllegalTransition('resume', statusOf(name)));
  });
});

describe('CancelTask', () => {
  const cancelledNow = (by: Actor, reason?: string): TaskEvent => ({
    type: 'TaskCancelled',
    data: { taskId, by, ...(reason ? { reason } : {}), cancelledAt: now },
  });

  it.each(liveHistories.flatMap((name) => [admin, sender].map((by) => [by.id, name, by] as const)))(
    'lets %s cancel a %s task',
    (_, name, by) => {
      given(...histories[name])
        .when(cancel(by, 'no longer needed'))
        .then([cancelledNow(by, 'no longer needed')]);
    },
  );

  it('clears the claimer', () => {
    expect(stateOf(...histories.processing, cancelledNow(admin))).toMatchObject({
      status: 'cancelled',
      cancelledAt: now,
      processedBy: undefined,
      processedAt: undefined,
    });
  });

  it.each(Object.entries({ member, otherService }))('rejects %s', (_, by) => {
    given(...histories.pending)
      .when(cancel(by))
      .thenRejects(new ActionNotAllowed('Only an admin or the service that created the task may cancel it.'));
  });

  it('does not mistake a user who created the task for its sending service', () => {
    given(created(member)).when(cancel(member)).thenRejects('action_not_allowed');
  });

  it.each(terminalHistories.flatMap((name) => [admin, sender].map((by) => [by.id, name, by] as const)))(
    'rejects %s on a %s task',
    (_, name, by) => {
      given(...histories[name])
        .when(cancel(by))
        .thenRejects(new IllegalTransition('cancel', statusOf(name)));
    },
  );
});

describe('CommentOnTask', () => {
  it.each(
    historyNames.flatMap((name) =>
      Object.entries({ ...workers, ...services }).map(([who, by]) => [who, name, by] as const),
    ),
  )('lets %s comment on a %s task', (_, name, by) => {
    given(...histories[name])
      .when(comment(by, '  Checked the invoice.  '))
      .then([
        {
          type: 'TaskCommented',
          data: { taskId, by, commentId: 'c-1', body: 'Checked the invoice.', commentedAt: now },
        },
      ]);
  });

  it.each([
    ['empty', '', 'comment body must not be empty'],
    ['blank', ' \n ', 'comment body must not be empty'],
    ['too long', 'x'.repeat(COMMENT_MAX_LENGTH + 1), 'comment body must be at most 10000 characters'],
  ])('rejects an %s body', (_, body, message) => {
    given(...histories.pending)
      .when(comment(member, body))
      .thenRejects({ code: 'invalid_task_command', message });
  });

  it('accepts a body of exactly the maximum length', () => {
    const body = 'x'.repeat(COMMENT_MAX_LENGTH);
    given(...histories.pending)
      .when(comment(member, body))
      .then([{ type: 'TaskCommented', data: { taskId, by: member, commentId: 'c-1', body, commentedAt: now } }]);
  });
});

describe('UpdateTaskDetails', () => {
  const updated = (by: Actor, changes: Partial<TaskDetails>): TaskEvent => ({
    type: 'TaskUpdated',
    data: { taskId, by, changes, updatedAt: now },
  });

  it.each(
    liveHistories.flatMap((name) =>
      Object.entries({ ...workers, sender }).map(([who, by]) => [who, name, by] as const),
    ),
  )('lets %s update a %s task', (_, name, by) => {
    given(...histories[name])
      .when(update(by, { priority: 'high' }))
      .then([updated(by, { priority: 'high' })]);
  });

  it('records only the fields that change, comparing arrays by value and titles trimmed', () => {
    given(created())
      .when(
        update(member, { title: ' Approve refund ', tags: ['billing', 'eu'], dueAt: at(59) }),
      )
      .then([updated(member, { dueAt: at(59) })]);
  });

  it('records a reordered array as a change', () => {
    given(created())
      .when(update(member, { tags: ['eu', 'billing'] }))
      .then([updated(member, { tags: ['eu', 'billing'] })]);
  });

  it('records nothing when nothing changes', () => {
    given(created())
      .when(update(member, { title: 'Approve refund', tags: ['billing', 'eu'], description: undefined }))
      .then([]);
  });

  it('ignores keys that are not task details', () => {
    const sneaky = { status: 'completed', processedBy: 'u-x' } as unknown as Partial<TaskDetails>;
    given(created()).when(update(member, sneaky)).then([]);
  });

  it('trims a new title', () => {
    given(created())
      .when(update(member, { title: '  Approve partial refund ' }))
      .then([updated(member, { title: 'Approve partial refund' })]);
  });

  it.each(['', '  '])('rejects the empty title %j', (title) => {
    given(created())
      .when(update(member, { title }))
      .thenRejects({ code: 'invalid_task_command', message: 'title must not be empty' });
  });

  it('rejects a service that did not send the task', () => {
    given(created()).when(update(otherService)).thenRejects('action_not_allowed');
  });

  it.each(terminalHistories)('cannot update a %s task', (name) => {
    given(...histories[name])
      .when(update(admin))
      .thenRejects(new IllegalTransition('update', statusOf(name)));
  });
});

describe('AddTaskAttachment', () => {
  it.each(
    historyNames.flatMap((name) =>
      Object.entries({ ...workers, ...services }).map(([who, by]) => [who, name, by] as const),
    ),
  )('lets %s attach to a %s task', (_, name, by) => {
    given(...histories[name])
      .when(attach(by, { ...attachment, name: ' invoice.pdf ' }))
      .then([{ type: 'TaskAttachmentAdded', data: { taskId, by, attachment, addedAt: now } }]);
  });

  it.each([
    ['name', { ...attachment, name: ' ' }],
    ['url', { ...attachment, url: '' }],
  ])('requires a %s', (field, file) => {
    given(created())
      .when(attach(member, file))
      .thenRejects({ code: 'invalid_task_command', message: `attachment ${field} must not be empty` });
  });
});

describe('PostTaskInfo', () => {
  it.each(
    historyNames.flatMap((name) =>
      Object.entries({ ...workers, ...services }).map(([who, by]) => [who, name, by] as const),
    ),
  )('lets %s post info on a %s task', (_, name, by) => {
    given(...histories[name])
      .when({ type: 'PostTaskInfo', info: { orderId: 'o-7' }, note: 'from the shop', by, now })
      .then([
        {
          type: 'TaskInfoPosted',
          data: { taskId, by, info: { orderId: 'o-7' }, note: 'from the shop', postedAt: now },
        },
      ]);
  });

  it.each([
    ['an empty object', {}],
    ['an array', ['x']],
    ['null', null],
  ])('rejects %s', (_, info) => {
    given(created())
      .when(postInfo(otherService, info as Record<string, unknown>))
      .thenRejects({ code: 'invalid_task_command', message: 'info must be a non-empty object' });
  });
});

describe('evolve', () => {
  it('starts from a task that does not exist', () => {
    expect(taskDecider.initialState()).toEqual({ exists: false });
  });

  it('counts events, stamps updatedAt with the latest event and applies detail changes', () => {
    const task = stateOf(
      created(),
      claimed(member, 1),
      { type: 'TaskCommented', data: { taskId, by: sender, commentId: 'c-1', body: 'hi', commentedAt: at(2) } },
      {
        type: 'TaskUpdated',
        data: { taskId, by: member, changes: { priority: 'urgent', tags: ['vip'] }, updatedAt: at(3) },
      },
      { type: 'TaskAttachmentAdded', data: { taskId, by: member, attachment, addedAt: at(4) } },
      { type: 'TaskInfoPosted', data: { taskId, by: otherService, info: { a: 1 }, postedAt: at(5) } },
      completed(member, 6),
    );
    expect(task).toEqual({
      exists: true,
      id: taskId,
      orgId: 'org-1',
      taskType: 'refund.approve',
      payload: { amount: 42 },
      source: sender,
      title: 'Approve refund',
      priority: 'urgent',
      tags: ['vip'],
      assignees: [],
      status: 'completed',
      processedBy: member.id,
      processedAt: at(1),
      resolution: 'accepted',
      createdAt: at(0),
      completedAt: at(6),
      updatedAt: at(6),
      version: 7,
    });
  });
});

describe('helpers', () => {
  it('names the stream after the task', () => {
    expect(taskStreamName('0192-abc')).toBe('task-0192-abc');
  });

  it.each([
    ['pending', false],
    ['processing', false],
    ['waiting', false],
    ['completed', true],
    ['cancelled', true],
  ] as const)('isTerminal(%s) is %s', (status, terminal) => {
    expect(isTerminal(status)).toBe(terminal);
  });
});

describe('allowedActions', () => {
  it('offers nothing on a task that does not exist', () => {
    expect(allowedActions(stateOf(), admin)).toEqual([]);
  });

  it.each([
    ['pending', member, ['claim', 'hold', 'comment', 'update', 'assign', 'attach', 'post_info']],
    ['pending', sender, ['cancel', 'comment', 'update', 'assign', 'attach', 'post_info']],
    ['pending', otherService, ['comment', 'attach', 'post_info']],
    ['processing', member, ['release', 'complete', 'hold', 'comment', 'update', 'assign', 'attach', 'post_info']],
    ['processing', admin, ['release', 'hold', 'cancel', 'comment', 'update', 'assign', 'attach', 'post_info']],
    ['processing', member2, ['comment', 'update', 'assign', 'attach', 'post_info']],
    ['waiting (claimed)', member, ['release', 'complete', 'resume', 'comment', 'update', 'assign', 'attach', 'post_info']],
    ['waiting (unclaimed)', member2, ['resume', 'comment', 'update', 'assign', 'attach', 'post_info']],
    ['completed', admin, ['comment', 'attach', 'post_info']],
    ['cancelled', sender, ['comment', 'attach', 'post_info']],
    ['processing', viewer, []],
  ] as const)('on a %s task offers %#', (name, by, expected) => {
    expect(allowedActions(stateOf(...histories[name]), by)).toEqual(expected);
  });

  // Exhaustive: every situation x actor x action, against decide itself.
  it.each(historyNames.flatMap((name) => Object.entries(actors).map(([who, by]) => [name, who, by] as const)))(
    'agrees with decide on a %s task for %s',
    (name, _, by) => {
      const task = stateOf(...histories[name]);
      const accepted = taskActions.filter((action) => {
        const result = decide(probe(action, by), task);
        return result.ok && result.events.length > 0;
      });
      expect(allowedActions(task, by)).toEqual(accepted);
    },
  );

  it('leaves out only the no-op re-claim among accepted commands', () => {
    const noOps = historyNames.flatMap((name) =>
      Object.entries(actors).flatMap(([who, by]) =>
        taskActions
          .filter((action) => {
            const result = decide(probe(action, by), stateOf(...histories[name]));
            return result.ok && result.events.length === 0;
          })
          .map((action) => `${who} ${action} on ${name}`),
      ),
    );
    expect(noOps).toEqual(['member claim on processing']);
  });
});
