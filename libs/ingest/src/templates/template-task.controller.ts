import { Body, Controller, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiPropertyOptional, ApiTags, PartialType } from '@nestjs/swagger';
import { IsObject, IsOptional, IsString, IsNotEmpty, MaxLength } from 'class-validator';
import type { FastifyRequest } from 'fastify';
import { Allow, CurrentPrincipal, type Principal, workers } from '@taskinbox/auth';
import { TemplateService } from '@taskinbox/task-types';
import { randomUUID } from 'node:crypto';
import { TaskCommandHandler } from '../tasks/task-command.handler';
import type { TaskChange } from '../tasks/task-change.command';
import { TaskDetailsDto } from '../tasks/task.dto';
import { taskViewSchema } from '../tasks/task-view.schema';
import type { TaskView } from '../tasks/task.view';

/** What a person may change from the template's values when making a task from it. */
export class TaskFromTemplateDto extends PartialType(TaskDetailsDto) {
  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  title?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: "Replaces the template's payload." })
  @IsOptional()
  @IsObject()
  payload?: Record<string, unknown>;
}

@ApiTags('templates')
@ApiBearerAuth()
@Controller('api/templates')
export class TemplateTaskController {
  constructor(
    private readonly templates: TemplateService,
    private readonly tasks: TaskCommandHandler,
  ) {}

  @ApiOperation({
    summary: 'Create a task from a template',
    description:
      "The task takes the template's title, description, type, payload, assignees, tags, context and files; it is due after the template's offset and put on hold when the template's status is 'waiting'. The body overrides any of them.",
  })
  @ApiCreatedResponse({ description: 'The task.', schema: taskViewSchema })
  @Allow({ roles: workers })
  @Post(':id/tasks')
  async create(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() body: TaskFromTemplateDto,
    @Req() request: FastifyRequest,
  ): Promise<TaskView> {
    const template = await this.templates.get(principal.orgId, id);
    const then: TaskChange[] = [
      ...(template.files ?? []).map(
        (file): TaskChange =>
          (_, by, at) => ({ type: 'AddTaskAttachment', attachment: { id: randomUUID(), name: file.name, url: file.url }, by, now: at }),
      ),
      ...(template.status === 'waiting' ? [((_, by, at) => ({ type: 'PutTaskOnHold', by, now: at })) as TaskChange] : []),
    ];
    const outcome = await this.tasks.create(
      principal,
      {
        taskType: template.type,
        title: body.title ?? template.title,
        payload: body.payload ?? template.payload ?? {},
        ...definedOnly({
          description: body.description ?? template.description,
          dueAt: body.dueAt,
          dueOffset: template.dueOffset,
          priority: body.priority ?? template.priority,
          tags: body.tags ?? template.tags,
          assignees: body.assignees ?? template.assignees,
          customerRef: body.customerRef ?? template.customerRef,
          projectRef: body.projectRef ?? template.projectRef,
          milestoneRef: body.milestoneRef ?? template.milestoneRef,
          private: body.private,
        }),
      },
      String(request.id),
      undefined,
      then,
    );
    return this.tasks.view(outcome, principal);
  }
}

function definedOnly<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as Partial<T>;
}
