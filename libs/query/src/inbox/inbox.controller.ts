import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { InboxPageView } from './task-summary.schema';
import type { FastifyReply } from 'fastify';
import { Allow, CurrentPrincipal, everyone, type Principal } from '@taskinbox/auth';
import { ReadModelFreshness } from '../tasks/read-model-freshness.service';
import { InboxQueryDto } from './inbox-query.dto';
import { type InboxPage, InboxService } from './inbox.service';

@ApiTags('inbox')
@ApiBearerAuth()
@Controller('api/inbox')
export class InboxController {
  constructor(
    private readonly inbox: InboxService,
    private readonly freshness: ReadModelFreshness,
  ) {}

  @ApiOperation({
    summary: 'The shared inbox: one queue for the whole organisation, unfinished tasks first, then most urgent (critical, high, normal, low), then oldest.',
    description:
      'Returns { items: TaskSummary[], nextCursor }. Each item carries urgency { level, reason } and atRisk: { reason } when the task\'s ETA (P90) is after its deadline, else null. Completed and cancelled tasks are hidden unless showCompleted=true or status names them. ' +
      'Private tasks are listed for every user of the organisation but, among API keys, only for the service that created them.',
  })
  @Allow({ roles: everyone, scopes: ['tasks:read'] })
  @ApiOkResponse({ type: InboxPageView })
  @Get('tasks')
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: InboxQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<InboxPage> {
    const targets = (query.waitFor ?? []).map((entry) => {
      const [taskId, version] = entry.split(':');
      return { taskId: taskId.toLowerCase(), minVersion: Number(version) };
    });
    await this.freshness.waitFor(principal, targets, reply);
    return this.inbox.list(principal, query);
  }
}
