import { BadRequestException, Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Patch, Post, Put, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Allow, CurrentPrincipal, type Principal } from '@taskinbox/auth';
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
import type { TaskChange } from './task-change.command';
import { createRule, readRule, taskCommandTable as commands } from './task-command.table';
import { TaskCommandHandler } from './task-command.handler';
import { toTaskView, type TaskView } from './task.view';

@ApiTags('tasks')
@ApiBearerAuth()
@Controller('api')
export class TaskController {
  constructor(private readonly tasks: TaskCommandHandler) {}

  @ApiOperation({ summary: 'Create a task (201). A retried request with the same Idempotency-Key returns the same task.' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @Allow(createRule)
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
  @Allow(readRule)
  @Get('tasks/:id')
  async get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<TaskView> {
    return toTaskView(await this.tasks.load(principal, id), principal.actor);
  }

  @ApiOperation({ summary: 'Claim a pending task. 409 when another user holds it.' })
  @Allow(commands.claim.allow)
  @Post('inbox/tasks/:id/claim')
  @HttpCode(200)
  claim(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Req() request: FastifyRequest) {
    return this.run(principal, id, request, commands.claim.build());
  }

  @ApiOperation({
    summary: "Move a task to a status: completed (with a resolution, 'done' when omitted), pending, waiting, processing, cancelled.",
    description: 'The seed\'s contract: exactly {"status":"completed"} completes the claimed task with the resolution \'done\'.',
  })
  @Allow(commands.changeStatus.allow)
  @Put('inbox/tasks/:id')
  changeStatus(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ChangeStatusDto,
    @Req() request: FastifyRequest,
  ) {
    return this.run(principal, id, request, commands.changeStatus.build(body));
  }

  @Allow(commands.release.allow)
  @Post('tasks/:id/release')
  @HttpCode(200)
  release(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Req() request: FastifyRequest) {
    return this.run(principal, id, request, commands.release.build());
  }

  @ApiOperation({ summary: "Complete the claimed task; the resolution is 'done' when omitted." })
  @Allow(commands.complete.allow)
  @Post('tasks/:id/complete')
  @HttpCode(200)
  complete(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: CompleteTaskDto,
    @Req() request: FastifyRequest,
  ) {
    return this.run(principal, id, request, commands.complete.build(body));
  }

  @Allow(commands.hold.allow)
  @Post('tasks/:id/hold')
  @HttpCode(200)
  hold(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: ReasonDto, @Req() request: FastifyRequest) {
    return this.run(principal, id, request, commands.hold.build(body));
  }

  @Allow(commands.resume.allow)
  @Post('tasks/:id/resume')
  @HttpCode(200)
  resume(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Req() request: FastifyRequest) {
    return this.run(principal, id, request, commands.resume.build());
  }

  @ApiOperation({ summary: 'Cancel a task: an admin, or the service that created it.' })
  @Allow(commands.cancel.allow)
  @Post('tasks/:id/cancel')
  @HttpCode(200)
  cancel(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: ReasonDto, @Req() request: FastifyRequest) {
    return this.run(principal, id, request, commands.cancel.build(body));
  }

  @Allow(commands.comment.allow)
  @Post('tasks/:id/comments')
  @HttpCode(201)
  comment(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: CommentDto, @Req() request: FastifyRequest) {
    return this.run(principal, id, request, commands.comment.build(body));
  }

  @Allow(commands.update.allow)
  @Patch('tasks/:id')
  update(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateTaskDto, @Req() request: FastifyRequest) {
    return this.run(principal, id, request, commands.update.build(body));
  }

  @ApiOperation({ summary: 'Post information to a task: the sender or a third-party service, or a team member.' })
  @Allow(commands.postInfo.allow)
  @Post('tasks/:id/info')
  @HttpCode(201)
  postInfo(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: PostInfoDto, @Req() request: FastifyRequest) {
    return this.run(principal, id, request, commands.postInfo.build(body));
  }

  @Allow(commands.attach.allow)
  @Post('tasks/:id/attachments')
  @HttpCode(201)
  attach(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: AttachmentDto, @Req() request: FastifyRequest) {
    return this.run(principal, id, request, commands.attach.build(body));
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
