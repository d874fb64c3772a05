import { Controller } from '@nestjs/common';
import { Ctx, MessagePattern, type NatsContext, Payload } from '@nestjs/microservices';
import { randomUUID } from 'node:crypto';
import { Allow, CurrentPrincipal, everyone, type Principal, workers } from '@taskinbox/auth';
import { correlationIdOf } from '@taskinbox/http';
import { statusChange } from './status-change.command';
import { TaskCommandHandler } from './task-command.handler';
import {
  AttachmentMessage,
  ChangeStatusMessage,
  CommentMessage,
  CompleteTaskMessage,
  CreateTaskMessage,
  PostInfoMessage,
  ReasonMessage,
  TaskRefDto,
  UpdateTaskMessage,
} from './task-message.dto';
import { taskSubjects } from './task.subjects';
import { toTaskView, type TaskView } from './task.view';

const writers = { roles: workers, scopes: ['tasks:write'] } as const;
type Change = Parameters<TaskCommandHandler['execute']>[2];

/** The same commands as the HTTP API, over NATS request/reply; see task.subjects.ts. */
@Controller()
export class TaskNatsController {
  constructor(private readonly tasks: TaskCommandHandler) {}

  @Allow(writers)
  @MessagePattern(taskSubjects.create)
  async create(@CurrentPrincipal() principal: Principal, @Payload() body: CreateTaskMessage, @Ctx() context: NatsContext) {
    const { type, payload, idempotencyKey, ...details } = body;
    const outcome = await this.tasks.create(
      principal,
      { ...details, taskType: type, payload: payload ?? {} },
      correlationIdOf(context.getHeaders()),
      idempotencyKey,
    );
    return { ...toTaskView(outcome, principal.actor), replayed: outcome.replayed };
  }

  @Allow({ roles: everyone, scopes: ['tasks:read', 'tasks:write'] })
  @MessagePattern(taskSubjects.get)
  async get(@CurrentPrincipal() principal: Principal, @Payload() body: TaskRefDto) {
    return toTaskView(await this.tasks.load(principal, body.taskId), principal.actor);
  }

  @Allow({ roles: workers })
  @MessagePattern(taskSubjects.claim)
  claim(@CurrentPrincipal() p: Principal, @Payload() body: TaskRefDto, @Ctx() c: NatsContext) {
    return this.run(p, body.taskId, c, (_, by, now) => ({ type: 'ClaimTask', by, now }));
  }

  @Allow({ roles: workers })
  @MessagePattern(taskSubjects.release)
  release(@CurrentPrincipal() p: Principal, @Payload() body: TaskRefDto, @Ctx() c: NatsContext) {
    return this.run(p, body.taskId, c, (_, by, now) => ({ type: 'ReleaseTask', by, now }));
  }

  @Allow({ roles: workers })
  @MessagePattern(taskSubjects.changeStatus)
  changeStatus(@CurrentPrincipal() p: Principal, @Payload() body: ChangeStatusMessage, @Ctx() c: NatsContext) {
    return this.run(p, body.taskId, c, (task, by, now) => statusChange(task, body, by, now));
  }

  @Allow({ roles: workers })
  @MessagePattern(taskSubjects.complete)
  complete(@CurrentPrincipal() p: Principal, @Payload() body: CompleteTaskMessage, @Ctx() c: NatsContext) {
    return this.run(p, body.taskId, c, (_, by, now) => ({ type: 'CompleteTask', resolution: body.resolution, note: body.note, by, now }));
  }

  @Allow({ roles: workers })
  @MessagePattern(taskSubjects.hold)
  hold(@CurrentPrincipal() p: Principal, @Payload() body: ReasonMessage, @Ctx() c: NatsContext) {
    return this.run(p, body.taskId, c, (_, by, now) => ({ type: 'PutTaskOnHold', reason: body.reason, by, now }));
  }

  @Allow({ roles: workers })
  @MessagePattern(taskSubjects.resume)
  resume(@CurrentPrincipal() p: Principal, @Payload() body: TaskRefDto, @Ctx() c: NatsContext) {
    return this.run(p, body.taskId, c, (_, by, now) => ({ type: 'ResumeTask', by, now }));
  }

  @Allow({ roles: ['admin'], scopes: ['tasks:write'] })
  @MessagePattern(taskSubjects.cancel)
  cancel(@CurrentPrincipal() p: Principal, @Payload() body: ReasonMessage, @Ctx() c: NatsContext) {
    return this.run(p, body.taskId, c, (_, by, now) => ({ type: 'CancelTask', reason: body.reason, by, now }));
  }

  @Allow(writers)
  @MessagePattern(taskSubjects.comment)
  comment(@CurrentPrincipal() p: Principal, @Payload() body: CommentMessage, @Ctx() c: NatsContext) {
    return this.run(p, body.taskId, c, (_, by, now) => ({ type: 'CommentOnTask', commentId: randomUUID(), body: body.body, by, now }));
  }

  @Allow(writers)
  @MessagePattern(taskSubjects.update)
  update(@CurrentPrincipal() p: Principal, @Payload() body: UpdateTaskMessage, @Ctx() c: NatsContext) {
    const { taskId, ...changes } = body;
    return this.run(p, taskId, c, (_, by, now) => ({ type: 'UpdateTaskDetails', changes, by, now }));
  }

  @Allow(writers)
  @MessagePattern(taskSubjects.postInfo)
  postInfo(@CurrentPrincipal() p: Principal, @Payload() body: PostInfoMessage, @Ctx() c: NatsContext) {
    return this.run(p, body.taskId, c, (_, by, now) => ({ type: 'PostTaskInfo', info: body.info, note: body.note, by, now }));
  }

  @Allow(writers)
  @MessagePattern(taskSubjects.attach)
  attach(@CurrentPrincipal() p: Principal, @Payload() body: AttachmentMessage, @Ctx() c: NatsContext) {
    const { taskId, ...attachment } = body;
    return this.run(p, taskId, c, (_, by, now) => ({ type: 'AddTaskAttachment', attachment: { id: randomUUID(), ...attachment }, by, now }));
  }

  private async run(principal: Principal, taskId: string, context: NatsContext, change: Change): Promise<TaskView> {
    const outcome = await this.tasks.execute(principal, taskId, change, correlationIdOf(context.getHeaders()));
    return toTaskView(outcome, principal.actor);
  }
}
