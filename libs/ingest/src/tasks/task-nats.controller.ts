import { Controller } from '@nestjs/common';
import { Ctx, MessagePattern, type NatsContext, Payload } from '@nestjs/microservices';
import { Allow, CurrentPrincipal, everyone, type Principal, workers } from '@taskinbox/auth';
import { correlationIdOf } from '@taskinbox/http';
import { type TaskChange, taskChanges } from './task-change.command';
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
    return this.run(p, body.taskId, c, taskChanges.claim());
  }

  @Allow({ roles: workers })
  @MessagePattern(taskSubjects.release)
  release(@CurrentPrincipal() p: Principal, @Payload() body: TaskRefDto, @Ctx() c: NatsContext) {
    return this.run(p, body.taskId, c, taskChanges.release());
  }

  @Allow({ roles: workers })
  @MessagePattern(taskSubjects.changeStatus)
  changeStatus(@CurrentPrincipal() p: Principal, @Payload() body: ChangeStatusMessage, @Ctx() c: NatsContext) {
    return this.run(p, body.taskId, c, taskChanges.changeStatus(body));
  }

  @Allow({ roles: workers })
  @MessagePattern(taskSubjects.complete)
  complete(@CurrentPrincipal() p: Principal, @Payload() body: CompleteTaskMessage, @Ctx() c: NatsContext) {
    return this.run(p, body.taskId, c, taskChanges.complete(body));
  }

  @Allow({ roles: workers })
  @MessagePattern(taskSubjects.hold)
  hold(@CurrentPrincipal() p: Principal, @Payload() body: ReasonMessage, @Ctx() c: NatsContext) {
    return this.run(p, body.taskId, c, taskChanges.hold(body));
  }

  @Allow({ roles: workers })
  @MessagePattern(taskSubjects.resume)
  resume(@CurrentPrincipal() p: Principal, @Payload() body: TaskRefDto, @Ctx() c: NatsContext) {
    return this.run(p, body.taskId, c, taskChanges.resume());
  }

  @Allow({ roles: ['admin'], scopes: ['tasks:write'] })
  @MessagePattern(taskSubjects.cancel)
  cancel(@CurrentPrincipal() p: Principal, @Payload() body: ReasonMessage, @Ctx() c: NatsContext) {
    return this.run(p, body.taskId, c, taskChanges.cancel(body));
  }

  @Allow(writers)
  @MessagePattern(taskSubjects.comment)
  comment(@CurrentPrincipal() p: Principal, @Payload() body: CommentMessage, @Ctx() c: NatsContext) {
    return this.run(p, body.taskId, c, taskChanges.comment(body));
  }

  @Allow(writers)
  @MessagePattern(taskSubjects.update)
  update(@CurrentPrincipal() p: Principal, @Payload() body: UpdateTaskMessage, @Ctx() c: NatsContext) {
    const { taskId, ...changes } = body;
    return this.run(p, taskId, c, taskChanges.update(changes));
  }

  @Allow(writers)
  @MessagePattern(taskSubjects.postInfo)
  postInfo(@CurrentPrincipal() p: Principal, @Payload() body: PostInfoMessage, @Ctx() c: NatsContext) {
    return this.run(p, body.taskId, c, taskChanges.postInfo(body));
  }

  @Allow(writers)
  @MessagePattern(taskSubjects.attach)
  attach(@CurrentPrincipal() p: Principal, @Payload() body: AttachmentMessage, @Ctx() c: NatsContext) {
    const { taskId, ...attachment } = body;
    return this.run(p, taskId, c, taskChanges.attach(attachment));
  }

  private async run(principal: Principal, taskId: string, context: NatsContext, change: TaskChange): Promise<TaskView> {
    const outcome = await this.tasks.execute(principal, taskId, change, correlationIdOf(context.getHeaders()));
    return toTaskView(outcome, principal.actor);
  }
}
