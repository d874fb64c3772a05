import type { TaskCommand, TaskCommandType } from './task.commands';
import {
  ActionNotAllowed,
  IllegalTransition,
  InvalidTaskCommand,
  NotTheClaimer,
  TaskAlreadyClaimed,
  TaskAlreadyExists,
  TaskNotFound,
  type TaskRejection,
} from './task.errors';
import type { Actor, AssigneeRef, EndUserRequest, TaskDetails, TaskEvent, TaskStatus } from './task.events';

// The task's decider in the emmett style: decide(command, state) -> events, evolve(state, event) -> state.
// Pure: no I/O, no clock (time comes from command.now), no exceptions (rejections are returned).

/** A task folded from its stream: `{ exists: false }` until TaskCreated. */
export type Task = { exists: false } | ExistingTask;

export type ExistingTask = Omit<TaskDetails, 'assignees'> & {
  exists: true;
  /** Suggested owners (people or groups of the organisation); never a lock. Evolve always sets it. */
  assignees?: AssigneeRef[];
  /** Free-text assignees of tasks created before assignees were checked (e-mails, names): shown, never matched. */
  legacyAssignees?: string[];
  /** The type version the payload was checked against; absent for unregistered types. */
  typeVersion?: number;
  id: string;
  orgId: string;
  taskType: string;
  status: TaskStatus;
  /** The user who claimed it; kept while waiting and after completion, cleared by release and cancel. */
  processedBy?: string;
  processedAt?: string;
  /** Who created it (usually the sending service); the sender may cancel and update it. */
  source: Actor;
  payload: Record<string, unknown>;
  externalRef?: string;
  idempotencyKey?: string;
  createdAt: string;
  /** Time of the last event of any kind. */
  updatedAt: string;
  completedAt?: string;
  cancelledAt?: string;
  resolution?: string;
  /** Set while the task waits on its end user (TaskEndUserAsked), with what was asked and since when. */
  awaiting?: EndUserRequest & { since: string };
  /** Number of events applied. */
  version: number;
  /** Set by TaskDeleted: the task answers as missing from then on. */
  deleted?: true;
  /** Set by TaskPayloadErased: the payload is gone from the task and its stored events. */
  payloadErased?: true;
  /** Custom actions asked for, by action id: who asked and whether their outcome is recorded. */
  actions?: Record<string, { key: string; by: Actor; done: boolean }>;
};

export type DecideResult = { ok: true; events: TaskEvent[] } | { ok: false; rejection: TaskRejection };

/** What an actor can be offered on an existing task; `allowedActions` lists the ones `decide` would accept now. */
export const taskActions = [
  'claim',
  'release',
  'complete',
  'hold',
  'resume',
  'cancel',
  'comment',
  'update',
  'assign',
  'attach',
  'post_info',
] as const;

export type TaskAction = (typeof taskActions)[number];

/** Actions outside the SPA's buttons: asking the end user (libs/transparency) and their answer. */
type EndUserAction = 'ask_end_user' | 'answer_end_user';

export const RESOLUTION_MAX_LENGTH = 100;
export const COMMENT_MAX_LENGTH = 10_000;

export const taskStreamName = (taskId: string): string => `task-${taskId}`;

export const isTerminal = (status: TaskStatus): boolean => status === 'completed' || status === 'cancelled';

export const initialState = (): Task => ({ exists: false });

/**
 * The version of what evolve folds. Stored snapshots of tasks are kept per version and ignored
 * once it changes: bump it whenever evolve, or the shape of ExistingTask, changes.
 */
export const TASK_STATE_VERSION = 4;

export function evolve(state: Task, event: TaskEvent): Task {
  if (event.type === 'TaskCreated') {
    const { data } = event;
    const { assignees, legacyAssignees } = readAssignees(data.assignees);
    // Every field, absent ones undefined, in one order: every task then has one hidden class in
    // V8, and the `{ ...task, … }` of each later event is its fast copy, where tasks of differing
    // shapes made it the slow generic one. Undefined reads (and serialises) as absent.
    const task: { [Field in keyof Required<ExistingTask>]: ExistingTask[Field] } = {
      exists: true,
      id: data.taskId,
      orgId: data.orgId,
      taskType: data.taskType,
      typeVersion: data.typeVersion,
      title: data.title,
      description: data.description,
      dueAt: data.dueAt,
      priority: data.priority,
      tags: data.tags,
      assignees,
      legacyAssignees,
      customerRef: data.customerRef,
      projectRef: data.projectRef,
      milestoneRef: data.milestoneRef,
      private: data.private,
      status: 'pending',
      processedBy: undefined,
      processedAt: undefined,
      source: data.source,
      payload: data.payload,
      externalRef: data.externalRef,
      idempotencyKey: data.idempotencyKey,
      createdAt: data.createdAt,
      updatedAt: data.createdAt,
      completedAt: undefined,
      cancelledAt: undefined,
      resolution: undefined,
      awaiting: undefined,
      version: 1,
      deleted: undefined,
      payloadErased: undefined,
      actions: undefined,
    };
    return task;
  }
  // Only TaskCreated starts a stream; anything else before it cannot come from decide.
  if (!state.exists) return state;
  // Each case copies the task once, with the new version: a rebuild folds every event of the log.
  const task = withAssigneeRefs(state);
  const version = state.version + 1;
  switch (event.type) {
    case 'TaskClaimed': {
      const { by, claimedAt } = event.data;
      return { ...task, version, status: 'processing', processedBy: by.id, processedAt: claimedAt, updatedAt: claimedAt };
    }
    case 'TaskReleased':
      return {
        ...task,
        version,
        status: 'pending',
        processedBy: undefined,
        processedAt: undefined,
        updatedAt: event.data.releasedAt,
      };
    case 'TaskStatusChanged':
      // Resumed by a person: the end user's request is withdrawn.
      return { ...task, version, status: event.data.to, awaiting: undefined, updatedAt: event.data.changedAt };
    case 'TaskCompleted': {
      const { resolution, completedAt } = event.data;
      return { ...task, version, status: 'completed', resolution, completedAt, awaiting: undefined, updatedAt: completedAt };
    }
    case 'TaskCancelled': {
      const { cancelledAt } = event.data;
      return {
        ...task,
        version,
        awaiting: undefined,
        status: 'cancelled',
        processedBy: undefined,
        processedAt: undefined,
        cancelledAt,
        updatedAt: cancelledAt,
      };
    }
    case 'TaskUpdated': {
      // Updates written before TaskAssigned existed may still carry the whole assignee list.
      const { assignees, ...changes } = event.data.changes;
      return { ...task, version, ...changes, ...(assignees ? readAssignees(assignees) : {}), updatedAt: event.data.updatedAt };
    }
    case 'TaskAssigned': {
      const { assignee, assignedAt } = event.data;
      const assignees = (task.assignees ?? []).some((known) => sameAssignee(known, assignee))
        ? (task.assignees ?? [])
        : [...(task.assignees ?? []), assignee];
      return { ...task, version, assignees, updatedAt: assignedAt };
    }
    case 'TaskUnassigned': {
      const { assignee, unassignedAt } = event.data;
      return { ...task, version, assignees: (task.assignees ?? []).filter((known) => !sameAssignee(known, assignee)), updatedAt: unassignedAt };
    }
    case 'TaskCommented':
      return { ...task, version, updatedAt: event.data.commentedAt };
    case 'TaskAttachmentAdded':
      return { ...task, version, updatedAt: event.data.addedAt };
    case 'TaskInfoPosted':
      return { ...task, version, updatedAt: event.data.postedAt };
    case 'TaskDeleted':
      return { ...task, version, deleted: true, updatedAt: event.data.deletedAt };
    case 'TaskPayloadErased':
      return { ...task, version, payload: {}, payloadErased: true, updatedAt: event.data.erasedAt };
    // Actions are not state changes: the task's updatedAt (what the inbox sorts by) stays.
    case 'TaskActionRequested': {
      const { actionId, key, by } = event.data;
      return { ...task, version, actions: { ...task.actions, [actionId]: { key, by, done: false } } };
    }
    case 'TaskActionSucceeded':
    case 'TaskActionFailed': {
      const known = task.actions?.[event.data.actionId];
      return { ...task, version, ...(known ? { actions: { ...task.actions, [event.data.actionId]: { ...known, done: true } } } : {}) };
    }
    case 'TaskEndUserAsked': {
      const { taskId: _, by: __, askedAt, ...request } = event.data;
      return { ...task, version, status: 'waiting', awaiting: { ...request, since: askedAt }, updatedAt: askedAt };
    }
    case 'TaskEndUserAnswered': {
      // Back in the shared queue: whoever held it may be gone by the time the answer arrives.
      const { answeredAt } = event.data;
      return { ...task, version, status: 'pending', processedBy: undefined, processedAt: undefined, awaiting: undefined, updatedAt: answeredAt };
    }
  }
}

/** The most of an action's response body its outcome event keeps. */
export const actionResponseExcerptBytes = 2048;

const actionOf = {
  ClaimTask: 'claim',
  ReleaseTask: 'release',
  CompleteTask: 'complete',
  PutTaskOnHold: 'hold',
  ResumeTask: 'resume',
  CancelTask: 'cancel',
  CommentOnTask: 'comment',
  UpdateTaskDetails: 'update',
  AssignTask: 'assign',
  UnassignTask: 'assign',
  AddTaskAttachment: 'attach',
  PostTaskInfo: 'post_info',
  AskEndUser: 'ask_end_user',
  AnswerEndUser: 'answer_end_user',
} as const satisfies Record<Exclude<TaskCommandType, 'CreateTask' | ActionCommandType>, TaskAction | EndUserAction>;

type ActionCommandType = 'RequestTaskAction' | 'RecordTaskActionResult' | 'DeleteTask' | 'EraseTaskPayload';

/**
 * Checks run in this order, and the first failure is returned: the task exists (or not, for
 * CreateTask), the actor may do this at all, the status allows it and the actor holds the claim
 * where needed (see `guard`), then the command's own input.
 */
export function decide(command: TaskCommand, state: Task): DecideResult {
  if (command.type === 'CreateTask') {
    if (state.exists) return reject(new TaskAlreadyExists());
    if (isViewer(command.by)) return reject(viewersCannotAct());
    const title = trimmed(command.data.title);
    if (!title) return reject(new InvalidTaskCommand('title must not be empty'));
    return accept({
      type: 'TaskCreated',
      data: { ...command.data, title, source: command.by, createdAt: command.now },
    });
  }
  if (!state.exists) return reject(new TaskNotFound());
  // A deleted task's payload may still be erased on request; nothing else reaches it.
  if (state.deleted && command.type !== 'EraseTaskPayload') return reject(new TaskNotFound());
  if (command.type === 'DeleteTask' || command.type === 'EraseTaskPayload') return decideRemoval(command, state);
  if (command.type === 'RequestTaskAction' || command.type === 'RecordTaskActionResult') return decideAction(command, state);

  const refused =
    command.type === 'AnswerEndUser' ? guardAnswer(state, command.by, command.requestId) : guard(actionOf[command.type], state, command.by);
  if (refused) return reject(refused);

  const { by, now } = command;
  const taskId = state.id;
  switch (command.type) {
    case 'ClaimTask':
      // The guard lets a processing task through only for its own claimer: a retried claim changes nothing.
      if (state.status === 'processing') return accept();
      return accept({ type: 'TaskClaimed', data: { taskId, by, claimedAt: now } });

    case 'ReleaseTask': {
      // The guard only lets a claimed task through.
      const previousClaimer = state.processedBy!;
      return accept({
        type: 'TaskReleased',
        data: { taskId, by, previousClaimer, forced: previousClaimer !== by.id, releasedAt: now },
      });
    }

    case 'CompleteTask': {
      const resolution = trimmed(command.resolution);
      if (!resolution) return reject(new InvalidTaskCommand('resolution must not be empty'));
      if (resolution.length > RESOLUTION_MAX_LENGTH) {
        return reject(new InvalidTaskCommand(`resolution must be at most ${RESOLUTION_MAX_LENGTH} characters`));
      }
      return accept({
        type: 'TaskCompleted',
        data: { taskId, by, resolution, ...optionalText('note', command.note), completedAt: now },
      });
    }

    case 'PutTaskOnHold':
      return accept({
        type: 'TaskStatusChanged',
        data: {
          taskId,
          by,
          from: state.status,
          to: 'waiting',
          ...optionalText('reason', command.reason),
          changedAt: now,
        },
      });

    case 'ResumeTask':
      return accept({
        type: 'TaskStatusChanged',
        data: { taskId, by, from: 'waiting', to: state.processedBy ? 'processing' : 'pending', changedAt: now },
      });

    case 'CancelTask':
      return accept({
        type: 'TaskCancelled',
        data: { taskId, by, ...optionalText('reason', command.reason), cancelledAt: now },
      });

    case 'CommentOnTask': {
      const body = trimmed(command.body);
      if (!body) return reject(new InvalidTaskCommand('comment body must not be empty'));
      if (body.length > COMMENT_MAX_LENGTH) {
        return reject(new InvalidTaskCommand(`comment body must be at most ${COMMENT_MAX_LENGTH} characters`));
      }
      return accept({
        type: 'TaskCommented',
        data: { taskId, by, commentId: command.commentId, body, commentedAt: now },
      });
    }

    case 'UpdateTaskDetails': {
      const { changes } = command;
      if (changes.title !== undefined && !trimmed(changes.title)) {
        return reject(new InvalidTaskCommand('title must not be empty'));
      }
      const { assignees, ...changed } = changedDetails(state, changes);
      // A new assignee list is recorded as who was assigned and unassigned, the same facts the
      // assign and unassign commands record.
      const assignments: TaskEvent[] = assignees
        ? [
            ...(state.assignees ?? [])
              .filter((known) => !assignees.some((wanted) => sameAssignee(known, wanted)))
              .map((assignee): TaskEvent => ({ type: 'TaskUnassigned', data: { taskId, by, assignee, unassignedAt: now } })),
            ...uniqueAssignees(assignees)
              .filter((wanted) => !(state.assignees ?? []).some((known) => sameAssignee(known, wanted)))
              .map((assignee): TaskEvent => ({ type: 'TaskAssigned', data: { taskId, by, assignee, assignedAt: now } })),
          ]
        : [];
      const updated: TaskEvent[] =
        Object.keys(changed).length === 0 ? [] : [{ type: 'TaskUpdated', data: { taskId, by, changes: changed, updatedAt: now } }];
      return accept(...updated, ...assignments);
    }

    case 'AssignTask': {
      const { assignee } = command;
      if ((state.assignees ?? []).some((known) => sameAssignee(known, assignee))) return accept();
      return accept({ type: 'TaskAssigned', data: { taskId, by, assignee: { kind: assignee.kind, id: assignee.id }, assignedAt: now } });
    }

    case 'UnassignTask': {
      const { assignee } = command;
      if (!(state.assignees ?? []).some((known) => sameAssignee(known, assignee))) return accept();
      return accept({ type: 'TaskUnassigned', data: { taskId, by, assignee: { kind: assignee.kind, id: assignee.id }, unassignedAt: now } });
    }

    case 'AddTaskAttachment': {
      const { attachment } = command;
      const name = trimmed(attachment.name);
      const url = trimmed(attachment.url);
      if (!name) return reject(new InvalidTaskCommand('attachment name must not be empty'));
      if (!url) return reject(new InvalidTaskCommand('attachment url must not be empty'));
      return accept({
        type: 'TaskAttachmentAdded',
        data: { taskId, by, attachment: { ...attachment, name, url }, addedAt: now },
      });
    }

    case 'PostTaskInfo': {
      const { info } = command;
      if (!isNonEmptyObject(info)) return reject(new InvalidTaskCommand('info must be a non-empty object'));
      return accept({
        type: 'TaskInfoPosted',
        data: { taskId, by, info, ...optionalText('note', command.note), postedAt: now },
      });
    }

    case 'AskEndUser': {
      const { requestId, form, fieldOrder, actionUrl } = command.request;
      const prompt = trimmed(command.request.prompt);
      if (!prompt) return reject(new InvalidTaskCommand('prompt must not be empty'));
      if (form === undefined && actionUrl === undefined) return reject(new InvalidTaskCommand('a request needs a form or an actionUrl'));
      return accept({
        type: 'TaskEndUserAsked',
        data: {
          taskId,
          by,
          requestId,
          prompt,
          ...(form ? { form, ...(fieldOrder ? { fieldOrder } : {}) } : {}),
          ...(actionUrl ? { actionUrl } : {}),
          askedAt: now,
        },
      });
    }

    case 'AnswerEndUser': {
      // The guard checked the request is the one open; its answer is info like any other, by the end user.
      if (!isNonEmptyObject(command.answer)) return reject(new InvalidTaskCommand('the answer must be a non-empty object'));
      return accept(
        { type: 'TaskInfoPosted', data: { taskId, by, info: command.answer, postedAt: now } },
        { type: 'TaskEndUserAnswered', data: { taskId, by, requestId: command.requestId, answeredAt: now } },
      );
    }
  }
}

/** Deleting a task and erasing its payload: admins only, whatever the status; erasing twice records nothing. */
function decideRemoval(command: Extract<TaskCommand, { type: 'DeleteTask' | 'EraseTaskPayload' }>, state: ExistingTask): DecideResult {
  const { by, now } = command;
  const taskId = state.id;
  if (by.kind !== 'user' || by.role !== 'admin') {
    return reject(new ActionNotAllowed(`Only an admin may ${command.type === 'DeleteTask' ? 'delete a task' : "erase a task's payload"}.`));
  }
  if (command.type === 'DeleteTask') {
    return accept({ type: 'TaskDeleted', data: { taskId, by, ...optionalText('reason', command.reason), deletedAt: now } });
  }
  if (state.payloadErased) return accept();
  return accept({ type: 'TaskPayloadErased', data: { taskId, by, erasedAt: now } });
}

/**
 * Custom actions, apart from the status guard: they change nothing about the task, so any
 * status allows them; the action's own roles say who may run one (services never do). A result
 * is recorded once per action id: a worker that retries after a crash, or a second one racing
 * it, decides again on the fresh stream and finds it recorded.
 */
function decideAction(command: Extract<TaskCommand, { type: 'RequestTaskAction' | 'RecordTaskActionResult' }>, state: ExistingTask): DecideResult {
  const taskId = state.id;
  if (command.type === 'RequestTaskAction') {
    const { by, request, roles, now } = command;
    if (by.kind !== 'user' || !roles.includes(by.role)) {
      return reject(new ActionNotAllowed(`Only ${roles.join(', ') || 'nobody'} may run the action '${request.key}'.`));
    }
    if (state.actions?.[request.actionId]) return accept();
    return accept({ type: 'TaskActionRequested', data: { ...request, taskId, by, requestedAt: now } });
  }
  const { result, outcome, info, now } = command;
  const asked = state.actions?.[result.actionId];
  if (!asked) return reject(new InvalidTaskCommand(`no action ${result.actionId} was requested on this task`));
  if (asked.done) return accept();
  const by = asked.by;
  const response = truncateUtf8(result.response, actionResponseExcerptBytes);
  const recorded: TaskEvent =
    outcome === 'succeeded'
      ? { type: 'TaskActionSucceeded', data: { ...result, response, taskId, by, succeededAt: now } }
      : { type: 'TaskActionFailed', data: { ...result, response, taskId, by, failedAt: now } };
  const postedBack: TaskEvent[] =
    outcome === 'succeeded' && isNonEmptyObject(info)
      ? [{ type: 'TaskInfoPosted', data: { taskId, by, info, note: `Response of the action '${result.key}'`, postedAt: now } }]
      : [];
  return accept(recorded, ...postedBack);
}

/** At most `bytes` bytes of `text` in UTF-8, never splitting a character. */
function truncateUtf8(text: string, bytes: number): string {
  const encoded = new TextEncoder().encode(text);
  if (encoded.length <= bytes) return text;
  // A character cut in two decodes as U+FFFD at the end: dropped.
  return new TextDecoder().decode(encoded.subarray(0, bytes)).replace(/\uFFFD$/, '');
}

/**
 * The actions `decide` would accept from this actor now (given well-formed input) and that would
 * record something. The SPA offers exactly these.
 */
export function allowedActions(task: Task, actor: Actor): TaskAction[] {
  if (!task.exists || task.deleted) return [];
  return taskActions.filter(
    // Re-claiming one's own task is accepted, so a retried click succeeds, but is nothing to offer.
    (action) => guard(action, task, actor) === undefined && !(action === 'claim' && task.status === 'processing'),
  );
}

export const taskDecider = { decide, evolve, initialState };

/** Who may take `action` on `task` in its current status; undefined when allowed. */
function guard(action: TaskAction | EndUserAction, task: ExistingTask, by: Actor): TaskRejection | undefined {
  if (isViewer(by)) return viewersCannotAct();
  if (by.kind === 'end_user') return new ActionNotAllowed('An end user may only answer what the task asks of them.');
  const { status } = task;
  // A claim only counts while the task is being worked on; a completed task keeps processedBy for the record.
  const claimer = status === 'processing' || status === 'waiting' ? task.processedBy : undefined;
  const isClaimer = by.kind === 'user' && claimer !== undefined && by.id === claimer;
  const isAdmin = by.kind === 'user' && by.role === 'admin';
  const isSender = by.kind === 'service' && task.source.kind === 'service' && by.id === task.source.id;

  switch (action) {
    case 'claim':
      if (by.kind !== 'user') return workersOnly('claim');
      if (status === 'pending') return undefined;
      if (status === 'processing') return isClaimer ? undefined : new TaskAlreadyClaimed();
      return new IllegalTransition('claim', status);

    case 'release':
      if (by.kind !== 'user') return workersOnly('release');
      if (claimer === undefined) return new IllegalTransition('release', status);
      return isClaimer || isAdmin ? undefined : new NotTheClaimer('release');

    case 'complete':
      if (by.kind !== 'user') return workersOnly('complete');
      if (claimer === undefined) return new IllegalTransition('complete', status);
      return isClaimer ? undefined : new NotTheClaimer('complete');

    case 'hold':
      if (by.kind !== 'user') return workersOnly('put on hold');
      if (status === 'pending') return undefined;
      if (status === 'processing') return isClaimer || isAdmin ? undefined : new NotTheClaimer('hold');
      return new IllegalTransition('put on hold', status);

    case 'resume':
      if (by.kind !== 'user') return workersOnly('resume');
      if (status !== 'waiting') return new IllegalTransition('resume', status);
      if (claimer === undefined) return undefined;
      return isClaimer || isAdmin ? undefined : new NotTheClaimer('resume');

    case 'cancel':
      if (!isAdmin && !isSender) {
        return new ActionNotAllowed('Only an admin or the service that created the task may cancel it.');
      }
      return isTerminal(status) ? new IllegalTransition('cancel', status) : undefined;

    case 'update':
    case 'assign':
      if (by.kind === 'service' && !isSender) {
        return new ActionNotAllowed('Only an admin, a member or the service that created the task may update it.');
      }
      return isTerminal(status) ? new IllegalTransition('update', status) : undefined;

    case 'comment':
    case 'attach':
    case 'post_info':
      return undefined;

    case 'ask_end_user':
      if (by.kind === 'service' && !isSender) {
        return new ActionNotAllowed('Only an admin, a member or the service that created the task may ask its end user.');
      }
      if (status === 'pending') return undefined;
      if (status === 'processing') return isClaimer || isAdmin || isSender ? undefined : new NotTheClaimer('ask the end user of');
      return new IllegalTransition('ask the end user of', status);

    case 'answer_end_user':
      return new ActionNotAllowed('Only the end user answers a request.');
  }
}

/** An answer counts only from the end user, for the request the task waits on now (one answer each). */
function guardAnswer(task: ExistingTask, by: Actor, requestId: string): TaskRejection | undefined {
  if (by.kind !== 'end_user') return new ActionNotAllowed('Only the end user answers a request.');
  if (task.awaiting?.requestId !== requestId) return new IllegalTransition('answer a request no longer open on', task.status);
  return undefined;
}

const isViewer = (actor: Actor): boolean => actor.kind === 'user' && actor.role === 'viewer';

const viewersCannotAct = (): ActionNotAllowed => new ActionNotAllowed('Viewers can read tasks but not change them.');

const workersOnly = (action: string): ActionNotAllowed =>
  new ActionNotAllowed(`Only an admin or a member may ${action} a task.`);

const accept = (...events: TaskEvent[]): DecideResult => ({ ok: true, events });

const reject = (rejection: TaskRejection): DecideResult => ({ ok: false, rejection });

// Commands arrive from JSON; a missing or non-string field is treated as empty rather than thrown on.
const trimmed = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');

/** `{ [key]: text }` when text has content, else nothing: events carry no empty optional strings. */
function optionalText<K extends string>(key: K, text: string | undefined): { [P in K]?: string } {
  const value = trimmed(text);
  return value ? ({ [key]: value } as { [P in K]: string }) : {};
}

const isNonEmptyObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length > 0;

// A Record so that a field added to TaskDetails fails to compile until it is listed here.
const detailFields: Record<keyof TaskDetails, true> = {
  title: true,
  description: true,
  dueAt: true,
  priority: true,
  tags: true,
  assignees: true,
  customerRef: true,
  projectRef: true,
  milestoneRef: true,
  private: true,
};

/**
 * The fields of `changes` that differ from the task (arrays by value; title trimmed). Undefined
 * means "not given": it could not survive JSON in the stored event anyway. Unknown keys are dropped
 * so an update can never touch status or ownership.
 */
function changedDetails(task: ExistingTask, changes: Partial<TaskDetails>): Partial<TaskDetails> {
  const proposed = changes.title === undefined ? changes : { ...changes, title: trimmed(changes.title) };
  const fields = Object.keys(detailFields) as (keyof TaskDetails)[];
  return Object.fromEntries(
    fields
      .filter((field) => proposed[field] !== undefined && !sameValue(proposed[field], task[field]))
      .map((field) => [field, proposed[field]]),
  ) as Partial<TaskDetails>;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, index) => sameValue(item, b[index]));
  }
  if (isAssignee(a) && isAssignee(b)) return sameAssignee(a, b);
  return a === b;
}

export const sameAssignee = (a: AssigneeRef, b: AssigneeRef): boolean => a.kind === b.kind && a.id === b.id;

const isAssignee = (value: unknown): value is AssigneeRef =>
  typeof value === 'object' && value !== null && 'kind' in value && 'id' in value;

const uniqueAssignees = (list: AssigneeRef[]): AssigneeRef[] =>
  list.filter((item, index) => list.findIndex((other) => sameAssignee(other, item)) === index);

const uuidShape = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Assignees as an event holds them. Before assignees were checked they were free strings, which
 * the API described as user ids or e-mails: a UUID string is read as a person, anything else is
 * kept apart as a legacy label (shown, never matched by "assigned to me" scopes).
 */
function readAssignees(list: readonly unknown[] | undefined): { assignees: AssigneeRef[]; legacyAssignees?: string[] } {
  const refs: AssigneeRef[] = [];
  const legacy: string[] = [];
  for (const item of list ?? []) {
    if (isAssignee(item)) refs.push({ kind: item.kind, id: item.id });
    else if (typeof item === 'string' && uuidShape.test(item)) refs.push({ kind: 'user', id: item.toLowerCase() });
    else if (typeof item === 'string') legacy.push(item);
  }
  return { assignees: uniqueAssignees(refs), ...(legacy.length > 0 ? { legacyAssignees: legacy } : {}) };
}

/** A task folded before assignee refs existed (a stored read-model state) read the way evolve reads its events. */
function withAssigneeRefs(task: ExistingTask): ExistingTask {
  const list = task.assignees as unknown[] | undefined;
  if (Array.isArray(list) && list.every(isAssignee)) return task;
  const read = readAssignees(list);
  return { ...task, assignees: read.assignees, legacyAssignees: [...(task.legacyAssignees ?? []), ...(read.legacyAssignees ?? [])] };
}
