import { BadRequestException, Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Patch, Post, Put, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Allow, CurrentPrincipal, everyone, type Principal, workers } from '@taskinbox/auth';
import {
  AttachmentDto,
  ChangeStatusDto,
  CommentDto,
  CompleteTaskDto,
  CreateTaskDto,
  PostInfoDto,
  ReasonDto,
  UpdateTaskDto,
} from './task.dto';
import { type TaskChange, taskChanges } from './task-change.command';
import { TaskCommandHandler } from './task-command.handler';
import { toTaskView, type TaskView } from './task.view';

const writers = { roles: workers, scopes: ['tasks:write'] } as const;

@ApiTags('tasks')
@ApiBearerAuth()
@Controller('api')
export class TaskController {
  constructor(private readonly tasks: TaskCommandHandler) {}

  @ApiOperation({ summary: 'Create a task (201). A retried request with the same Idempotency-Key returns the same task.' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @Allow(writers)
  @Post('tasks')
  async create(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreateTaskDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TaskView> {
    if (idempotencyKey !== undefined && !/^[\x21-\x7e]{1,200}$/.test(idempotencyKey)) {
      throw new BadRequestException('Idempotency-Key must be 1-200 printable ASCII characters.');
    }
    const { type, payload, ...details } = body;
    const outcome = await this.tasks.create(
      principal,
      { ...details, taskType: type, payload: payload ?? {} },
      String(request.id),
      idempotencyKey,
    );
    if (outcome.replayed) void reply.header('idempotent-replayed', 'true');
    return toTaskView(outcome, principal.actor);
  }

  @ApiOperation({ summary: 'A task as its event stream says now (strongly consistent).' })
  @Allow({ roles: everyone, scopes: ['tasks:read', 'tasks:write'] })
  @Get('tasks/:id')
  async get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<TaskView> {
    return toTaskView(await this.tasks.load(principal, id), principal.actor);
  }

  @ApiOperation({ summary: 'Claim a pending task. 409 when another user holds it.' })
  @Allow({ roles: workers })
  @Post('inbox/tasks/:id/claim')
  @HttpCode(200)
  claim(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Req() request: FastifyRequest) {
    return this.run(principal, id, request, taskChanges.claim());
  }

  @ApiOperation({
    summary: "Move a task to a status: completed (with a resolution, 'done' when omitted), pending, waiting, processing, cancelled.",
    description: 'The seed\'s contract: exactly {"status":"completed"} completes the claimed task with the resolution \'done\'.',
  })
  @Allow({ roles: workers })
  @Put('inbox/tasks/:id')
  changeStatus(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ChangeStatusDto,
    @Req() request: FastifyRequest,
  ) {
    return this.run(principal, id, request, taskChanges.changeStatus(body));
  }

  @Allow({ roles: workers })
  @Post('tasks/:id/release')
  @HttpCode(200)
  release(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Req() request: FastifyRequest) {
    return this.run(principal, id, request, taskChanges.release());
  }

  @ApiOperation({ summary: "Complete the claimed task; the resolution is 'done' when omitted." })
  @Allow({ roles: workers })
  @Post('tasks/:id/complete')
  @HttpCode(200)
  complete(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: CompleteTaskDto,
    @Req() request: FastifyRequest,
  ) {
    return this.run(principal, id, request, taskChanges.complete(body));
  }

  @Allow({ roles: workers })
  @Post('tasks/:id/hold')
  @HttpCode(200)
  hold(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: ReasonDto, @Req() request: FastifyRequest) {
    return this.run(principal, id, request, taskChanges.hold(body));
  }

  @Allow({ roles: workers })
  @Post('tasks/:id/resume')
  @HttpCode(200)
  resume(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Req() request: FastifyRequest) {
    return this.run(principal, id, request, taskChanges.resume());
  }

  @ApiOperation({ summary: 'Cancel a task: an admin, or the service that created it.' })
  @Allow({ roles: ['admin'], scopes: ['tasks:write'] })
  @Post('tasks/:id/cancel')
  @HttpCode(200)
  cancel(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: ReasonDto, @Req() request: FastifyRequest) {
    return this.run(principal, id, request, taskChanges.cancel(body));
  }

  @Allow(writers)
  @Post('tasks/:id/comments')
  @HttpCode(201)
  comment(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: CommentDto, @Req() request: FastifyRequest) {
    return this.run(principal, id, request, taskChanges.comment(body));
  }

  @Allow(writers)
  @Patch('tasks/:id')
  update(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateTaskDto, @Req() request: FastifyRequest) {
    return this.run(principal, id, request, taskChanges.update({ ...body }));
  }

  @ApiOperation({ summary: 'Post information to a task: the sender or a third-party service, or a team member.' })
  @Allow(writers)
  @Post('tasks/:id/info')
  @HttpCode(201)
  postInfo(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: PostInfoDto, @Req() request: FastifyRequest) {
    return this.run(principal, id, request, taskChanges.postInfo(body));
  }

  @Allow(writers)
  @Post('tasks/:id/attachments')
  @HttpCode(201)
  attach(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: AttachmentDto, @Req() request: FastifyRequest) {
    return this.run(principal, id, request, taskChanges.attach(body));
  }

  private async run(
    principal: Principal,
    id: string,
    request: FastifyRequest,
    change: TaskChange,
  ): Promise<TaskView> {
    const outcome = await this.tasks.execute(principal, id, change, String(request.id));
    return toTaskView(outcome, principal.actor);
  }
}
