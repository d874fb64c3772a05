import { Controller } from '@nestjs/common';
import { Ctx, MessagePattern, type NatsContext, Payload } from '@nestjs/microservices';
import { ApiExcludeController, IntersectionType } from '@nestjs/swagger';
import { Allow, CurrentPrincipal, type Principal } from '@taskinbox/auth';
import { correlationIdOf } from '@taskinbox/http';
import { createRule, readRule, type TaskCommandSpec, taskCommandTable } from './task-command.table';
import { TaskCommandHandler } from './task-command.handler';
import { CreateTaskMessage, TaskRefDto } from './task-message.dto';
import { taskSubjects } from './task.subjects';
import type { TaskView } from './task.view';

/**
 * The same commands as the HTTP API, over NATS request/reply; see task.subjects.ts. Create and
 * get are written out; every command on an existing task is generated from the command table
 * below the class, so both edges share its permissions and how it is built.
 */
// NATS request/reply, not HTTP: kept out of the OpenAPI document (the AsyncAPI one covers NATS).
@ApiExcludeController()
@Controller()
export class TaskNatsController {
  constructor(private readonly tasks: TaskCommandHandler) {}

  @Allow(createRule)
  @MessagePattern(taskSubjects.create)
  async create(@CurrentPrincipal() principal: Principal, @Payload() body: CreateTaskMessage, @Ctx() context: NatsContext) {
    const { type, payload, idempotencyKey, ...details } = body;
    const outcome = await this.tasks.create(
      principal,
      { ...details, taskType: type, payload: payload ?? {} },
      correlationIdOf(context.getHeaders()),
      idempotencyKey,
    );
    return { ...(await this.tasks.view(outcome, principal)), replayed: outcome.replayed };
  }

  @Allow(readRule)
  @MessagePattern(taskSubjects.get)
  async get(@CurrentPrincipal() principal: Principal, @Payload() body: TaskRefDto) {
    return this.tasks.view(await this.tasks.load(principal, body.taskId), principal);
  }

  async runCommand(
    spec: TaskCommandSpec<unknown>,
    principal: Principal,
    { taskId, ...body }: { taskId: string },
    context: NatsContext,
  ): Promise<TaskView> {
    const outcome = await this.tasks.run(principal, taskId, spec, body, correlationIdOf(context.getHeaders()));
    return this.tasks.view(outcome, principal);
  }
}

// One handler per table entry, decorated as if written out: its access rule, its subject, and a
// message DTO (the body plus `taskId`) that the global validation pipe checks.
for (const [name, spec] of Object.entries(taskCommandTable) as [string, TaskCommandSpec<unknown>][]) {
  const prototype = TaskNatsController.prototype as unknown as Record<string, unknown>;
  const handler = function (this: TaskNatsController, principal: Principal, body: { taskId: string }, context: NatsContext) {
    return this.runCommand(spec, principal, body, context);
  };
  Object.defineProperty(handler, 'name', { value: name });
  Object.defineProperty(prototype, name, { value: handler, writable: true, configurable: true });
  const message = spec.body ? IntersectionType(TaskRefDto, spec.body) : TaskRefDto;
  Reflect.defineMetadata('design:paramtypes', [Object, message, Object], prototype, name);
  CurrentPrincipal()(prototype, name, 0);
  Payload()(prototype, name, 1);
  Ctx()(prototype, name, 2);
  const descriptor = Object.getOwnPropertyDescriptor(prototype, name)!;
  Allow(spec.allow)(prototype, name, descriptor);
  MessagePattern(spec.subject)(prototype, name, descriptor);
}
