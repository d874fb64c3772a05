import { Controller, Get, Param, ParseUUIDPipe, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { TaskTimelineView } from '../inbox/task-summary.schema';
import type { FastifyReply } from 'fastify';
import { Allow, CurrentPrincipal, everyone, type Principal } from '@taskinbox/auth';
import { ReadModelFreshness } from './read-model-freshness.service';
import { TaskTimelineQueryDto } from './task-timeline.dto';
import { TaskTimelineService } from './task-timeline.service';
import type { TaskTimeline } from './task-timeline.view';

@ApiTags('tasks')
@ApiBearerAuth()
@Controller('api/tasks')
export class TaskTimelineController {
  constructor(
    private readonly timelines: TaskTimelineService,
    private readonly freshness: ReadModelFreshness,
  ) {}

  @ApiOperation({
    summary: 'A task with its timeline, from the read models: { task (with allowedActions for the caller), timeline }.',
    description:
      'task.atRisk is { reason } while the task is open and its ETA (P90) is after its deadline, else null. ' +
      '404 for unknown tasks, tasks of other organisations, and private tasks of other services.',
  })
  @Allow({ roles: everyone, scopes: ['tasks:read'] })
  @ApiOkResponse({ type: TaskTimelineView })
  @Get(':id/timeline')
  async timeline(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: TaskTimelineQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TaskTimeline> {
    const taskId = id.toLowerCase();
    if (query.minVersion !== undefined)
      await this.freshness.waitFor(principal, [{ taskId, minVersion: query.minVersion }], reply);
    return this.timelines.get(principal, taskId);
  }
}
