import type { Type } from '@nestjs/common';
import { type AccessRule, type PeopleDirectory, type Principal, workers } from '@taskinbox/auth';
import { type TaskChange, taskChanges } from './task-change.command';
import {
  AssigneeRefDto,
  ChangeStatusDto,
  CommentDto,
  CompleteTaskDto,
  PostInfoDto,
  ReasonDto,
  UpdateTaskDto,
} from './task.dto';
import { taskSubjects } from './task.subjects';

/**
 * One command on an existing task, as both edges offer it: who may send it, its body, the
 * NATS subject it answers on, and how its body becomes the command the decider judges.
 * The HTTP controller and the NATS controller both read it from here, so a permission or a
 * body can never differ between them.
 */
export interface TaskCommandSpec<Body = void> {
  allow: AccessRule;
  subject: string;
  /** The body's DTO (over NATS it also carries `taskId`); none for commands without input. */
  body?: Type<Body>;
  build: (body: Body, context: CommandContext) => TaskChange | Promise<TaskChange>;
}

/** What building a command may look up: assignees are resolved against the caller's organisation. */
export interface CommandContext {
  principal: Principal;
  people: PeopleDirectory;
}

const workersOnly: AccessRule = { roles: workers };
const writers: AccessRule = { roles: workers, scopes: ['tasks:write'] };
const adminsAndSenders: AccessRule = { roles: ['admin'], scopes: ['tasks:write'] };

const command = <Body>(spec: TaskCommandSpec<Body>): TaskCommandSpec<Body> => spec;

export const taskCommandTable = {
  claim: command<void>({ allow: workersOnly, subject: taskSubjects.claim, build: () => taskChanges.claim() }),
  release: command<void>({ allow: workersOnly, subject: taskSubjects.release, build: () => taskChanges.release() }),
  changeStatus: command({
    allow: workersOnly,
    subject: taskSubjects.changeStatus,
    body: ChangeStatusDto,
    build: (body) => taskChanges.changeStatus(body),
  }),
  complete: command({ allow: workersOnly, subject: taskSubjects.complete, body: CompleteTaskDto, build: (body) => taskChanges.complete(body) }),
  hold: command({ allow: workersOnly, subject: taskSubjects.hold, body: ReasonDto, build: (body) => taskChanges.hold(body) }),
  resume: command<void>({ allow: workersOnly, subject: taskSubjects.resume, build: () => taskChanges.resume() }),
  // The decider narrows services further: only the sender of the task may cancel it.
  cancel: command({ allow: adminsAndSenders, subject: taskSubjects.cancel, body: ReasonDto, build: (body) => taskChanges.cancel(body) }),
  comment: command({ allow: writers, subject: taskSubjects.comment, body: CommentDto, build: (body) => taskChanges.comment(body) }),
  update: command({
    allow: writers,
    subject: taskSubjects.update,
    body: UpdateTaskDto,
    build: async ({ assignees, ...body }, { principal, people }) =>
      taskChanges.update({ ...body, ...(assignees ? { assignees: await people.resolve(principal.orgId, assignees) } : {}) }),
  }),
  // Anyone who may work tasks may suggest an owner, themselves included; the claim stays the lock.
  assign: command({
    allow: writers,
    subject: taskSubjects.assign,
    body: AssigneeRefDto,
    build: async (body, { principal, people }) => {
      const [assignee] = await people.resolve(principal.orgId, [{ kind: body.kind, id: body.id }], () => 'id');
      return taskChanges.assign(assignee);
    },
  }),
  // Not looked up: a person who left the organisation can still be taken off a task.
  unassign: command({
    allow: writers,
    subject: taskSubjects.unassign,
    body: AssigneeRefDto,
    build: (body) => taskChanges.unassign({ kind: body.kind, id: body.id.toLowerCase() }),
  }),
  postInfo: command({ allow: writers, subject: taskSubjects.postInfo, body: PostInfoDto, build: (body) => taskChanges.postInfo(body) }),
};

export type TaskCommandName = keyof typeof taskCommandTable;

/** Who may create tasks and who may read one: the two commands outside the table (no existing task). */
export const createRule: AccessRule = writers;
export const readRule: AccessRule = { roles: ['admin', 'member', 'viewer'], scopes: ['tasks:read', 'tasks:write'] };
