import { BadRequestException, Body, Controller, Delete, Get, Headers, HttpCode, Inject, Optional, Param, ParseUUIDPipe, Patch, Post, Put, Req, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsIn, IsUUID, Matches } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Allow, CurrentPrincipal, type Principal } from '@taskinbox/auth';
import {
  AssigneeRefDto,
  ChangeStatusDto,
  CommentDto,
  CompleteTaskDto,
  CreateTaskDto,
  PostInfoDto,
  ReasonDto,
  RunActionBodyDto,
  TagDto,
  UpdateTaskDto,
} from './task.dto';
import { createRule, readRule, type TaskCommandSpec, taskCommandTable as commands } from './task-command.table';
import { TaskCommandHandler } from './task-command.handler';
import { STATUS_LINK_ISSUER, type StatusLinkIssuer } from './status-link.issuer';
import { taskViewSchema } from './task-view.schema';
import type { TaskView } from './task.view';

class ErasedView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: true })
  payloadErased!: boolean;

  @ApiProperty({ description: 'Stream revision after the erasure.' })
  version!: number;
}

class ActionParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id!: string;

  @ApiProperty({ example: 'refund' })
  @Matches(/^[a-z0-9][a-z0-9_-]{0,63}$/, { message: 'key must be an action key of the task type' })
  key!: string;
}

class UnassignParams {
  @IsUUID()
  id!: string;

  @ApiProperty({ enum: ['user', 'group'] })
  @IsIn(['user', 'group'])
  kind!: 'user' | 'group';

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  assigneeId!: string;
}

@ApiTags('tasks')
@ApiBearerAuth()
@Controller('api')
export class TaskController {
  constructor(
    private readonly tasks: TaskCommandHandler,
    @Optional() @Inject(STATUS_LINK_ISSUER) private readonly statusLinks?: StatusLinkIssuer,
  ) {}

  @ApiOperation({ summary: 'Create a task (201). A retried request with the same Idempotency-Key returns the same task.' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @Allow(createRule)
  @ApiCreatedResponse({
    description: 'The task (201), or the one an earlier request with the same Idempotency-Key created (then also the idempotent-replayed header).',
    schema: { ...taskViewSchema, properties: { ...taskViewSchema.properties, statusLink: { type: 'object', properties: { url: { type: 'string' } } } } },
  })
  @Post('tasks')
  async create(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreateTaskDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TaskView & { statusLink?: { url: string } }> {
    if (idempotencyKey !== undefined && !/^[\x21-\x7e]{1,200}$/.test(idempotencyKey)) {
      throw new BadRequestException('Idempotency-Key must be 1-200 printable ASCII characters.');
    }
    const { type, payload, statusLink, ...details } = body;
    if (statusLink && !this.statusLinks) throw new BadRequestException('statusLink is not offered by this service.');
    if (statusLink && details.private) throw new BadRequestException('statusLink: private tasks are hidden from end-user views.');
    const outcome = await this.tasks.create(
      principal,
      { ...details, taskType: type, payload: payload ?? {} },
      String(request.id),
      idempotencyKey,
    );
    if (outcome.replayed) void reply.header('idempotent-replayed', 'true');
    const view = await this.tasks.view(outcome, principal);
    return statusLink ? { ...view, statusLink: await this.statusLinks!.issue(principal, outcome.task.id) } : view;
  }

  @ApiOperation({ summary: 'A task as its event stream says now (strongly consistent).' })
  @Allow(readRule)
  @ApiOkResponse({ description: 'The task.', schema: taskViewSchema })
  @Get('tasks/:id')
  async get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<TaskView> {
    return this.tasks.view(await this.tasks.load(principal, id), principal);
  }

  @ApiOperation({ summary: 'Claim a pending task. 409 when another user holds it.' })
  @Allow(commands.claim.allow)
  @ApiOkResponse({ description: 'The task.', schema: taskViewSchema })
  @Post('inbox/tasks/:id/claim')
  @HttpCode(200)
  claim(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Req() request: FastifyRequest) {
    return this.run(principal, id, request, commands.claim, undefined);
  }

  @ApiOperation({
    summary: "Move a task to a status: completed (with a resolution, 'done' when omitted), pending, waiting, processing, cancelled.",
    description: 'The seed\'s contract: exactly {"status":"completed"} completes the claimed task with the resolution \'done\'.',
  })
  @Allow(commands.changeStatus.allow)
  @ApiOkResponse({ description: 'The task.', schema: taskViewSchema })
  @Put('inbox/tasks/:id')
  changeStatus(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ChangeStatusDto,
    @Req() request: FastifyRequest,
  ) {
    return this.run(principal, id, request, commands.changeStatus, body);
  }

  @ApiOperation({ summary: 'Release a claimed task back to the queue' })
  @Allow(commands.release.allow)
  @ApiOkResponse({ description: 'The task.', schema: taskViewSchema })
  @Post('tasks/:id/release')
  @HttpCode(200)
  release(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Req() request: FastifyRequest) {
    return this.run(principal, id, request, commands.release, undefined);
  }

  @ApiOperation({ summary: "Complete the claimed task; the resolution is 'done' when omitted." })
  @Allow(commands.complete.allow)
  @ApiOkResponse({ description: 'The task.', schema: taskViewSchema })
  @Post('tasks/:id/complete')
  @HttpCode(200)
  complete(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: CompleteTaskDto,
    @Req() request: FastifyRequest,
  ) {
    return this.run(principal, id, request, commands.complete, body);
  }

  @ApiOperation({ summary: 'Put a task on hold (waiting), with a reason' })
  @Allow(commands.hold.allow)
  @ApiOkResponse({ description: 'The task.', schema: taskViewSchema })
  @Post('tasks/:id/hold')
  @HttpCode(200)
  hold(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: ReasonDto, @Req() request: FastifyRequest) {
    return this.run(principal, id, request, commands.hold, body);
  }

  @ApiOperation({ summary: 'Take a task off hold' })
  @Allow(commands.resume.allow)
  @ApiOkResponse({ description: 'The task.', schema: taskViewSchema })
  @Post('tasks/:id/resume')
  @HttpCode(200)
  resume(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Req() request: FastifyRequest) {
    return this.run(principal, id, request, commands.resume, undefined);
  }

  @ApiOperation({ summary: 'Cancel a task: an admin, or the service that created it.' })
  @Allow(commands.cancel.allow)
  @ApiOkResponse({ description: 'The task.', schema: taskViewSchema })
  @Post('tasks/:id/cancel')
  @HttpCode(200)
  cancel(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: ReasonDto, @Req() request: FastifyRequest) {
    return this.run(principal, id, request, commands.cancel, body);
  }

  @ApiOperation({ summary: 'Comment on a task' })
  @Allow(commands.comment.allow)
  @ApiCreatedResponse({ description: 'The task.', schema: taskViewSchema })
  @Post('tasks/:id/comments')
  @HttpCode(201)
  comment(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: CommentDto, @Req() request: FastifyRequest) {
    return this.run(principal, id, request, commands.comment, body);
  }

  @ApiOperation({ summary: "Edit a task's title, description, due date, priority, tags or assignees" })
  @Allow(commands.update.allow)
  @ApiOkResponse({ description: 'The task.', schema: taskViewSchema })
  @Patch('tasks/:id')
  update(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateTaskDto, @Req() request: FastifyRequest) {
    return this.run(principal, id, request, commands.update, body);
  }

  @ApiOperation({ summary: 'Post information to a task: the sender or a third-party service, or a team member.' })
  @Allow(commands.postInfo.allow)
  @ApiCreatedResponse({ description: 'The task.', schema: taskViewSchema })
  @Post('tasks/:id/info')
  @HttpCode(201)
  postInfo(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: PostInfoDto, @Req() request: FastifyRequest) {
    return this.run(principal, id, request, commands.postInfo, body);
  }

  @ApiOperation({ summary: 'Suggest a person or group of the organisation as an owner (yourself included). Not a lock: the claim is.' })
  @Allow(commands.assign.allow)
  @ApiOkResponse({ description: 'The task.', schema: taskViewSchema })
  @Post('tasks/:id/assignees')
  @HttpCode(200)
  assign(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: AssigneeRefDto, @Req() request: FastifyRequest) {
    return this.run(principal, id, request, commands.assign, body);
  }

  @ApiOperation({ summary: 'Take a person or group off the suggested owners.' })
  @Allow(commands.unassign.allow)
  @ApiOkResponse({ description: 'The task.', schema: taskViewSchema })
  @Delete('tasks/:id/assignees/:kind/:assigneeId')
  unassign(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Param() params: UnassignParams,
    @Req() request: FastifyRequest,
  ) {
    return this.run(principal, id, request, commands.unassign, { kind: params.kind, id: params.assigneeId });
  }

  @ApiOperation({ summary: "Add tags to the task's own." })
  @ApiOkResponse({ description: 'The task.', schema: taskViewSchema })
  @Allow(commands.tag.allow)
  @Post('tasks/:id/tags')
  @HttpCode(200)
  tag(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: TagDto, @Req() request: FastifyRequest) {
    return this.run(principal, id, request, commands.tag, body);
  }

  @ApiOperation({
    summary: 'Delete a task (admins): a tombstone event; the task then answers 404 everywhere (inbox, timeline, stats, stream).',
    description: 'Its payload can still be erased afterwards (POST /api/tasks/{id}/erase-payload).',
  })
  @ApiNoContentResponse({ description: 'Deleted.' })
  @Allow(commands.delete.allow)
  @Delete('tasks/:id')
  @HttpCode(204)
  async delete(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: ReasonDto, @Req() request: FastifyRequest): Promise<void> {
    await this.tasks.run(principal, id, commands.delete, body ?? {}, String(request.id));
  }

  @ApiOperation({
    summary: "Erase a task's payload (admins), deleted tasks included: recorded as TaskPayloadErased.",
    description:
      'The payload, posted info, action arguments and responses are also redacted in the stored events and in webhook bodies kept for resends: the one sanctioned rewrite of history.',
  })
  @ApiOkResponse({ type: ErasedView })
  @Allow(commands.erasePayload.allow)
  @Post('tasks/:id/erase-payload')
  @HttpCode(200)
  async erasePayload(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Req() request: FastifyRequest): Promise<ErasedView> {
    const { version } = await this.tasks.run(principal, id, commands.erasePayload, undefined, String(request.id));
    return { id, payloadErased: true, version };
  }

  @ApiOperation({
    summary: "Run a custom action of the task's type (202): its arguments are checked now, the call is made in the background.",
    description: 'The outcome (task.action_succeeded or task.action_failed) appears on the timeline and in webhooks. 400 names each argument the argsSchema refuses.',
  })
  @ApiAcceptedResponse({ description: 'The task; the action is recorded as requested.', schema: taskViewSchema })
  @Allow(commands.runAction.allow)
  @Post('tasks/:id/actions/:key')
  @HttpCode(202)
  runAction(@CurrentPrincipal() principal: Principal, @Param() params: ActionParams, @Body() body: RunActionBodyDto, @Req() request: FastifyRequest) {
    return this.run(principal, params.id, request, commands.runAction, { key: params.key, args: body.args });
  }

  private async run<Body>(
    principal: Principal,
    id: string,
    request: FastifyRequest,
    spec: TaskCommandSpec<Body>,
    body: Body,
  ): Promise<TaskView> {
    return this.tasks.view(await this.tasks.run(principal, id, spec, body, String(request.id)), principal);
  }
}
