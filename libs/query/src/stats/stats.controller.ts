import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow, CurrentPrincipal, everyone, type Principal } from '@taskinbox/auth';
import { ResolutionTimeQueryDto, SeriesQueryDto, StatsQueryDto, StatsRecomputeDto } from './stats-query.dto';
import { type RecomputeProgress, StatsRecomputeWorker } from './stats-recompute.worker';
import { type StatsAudience, StatsService } from './stats.service';
import {
  BacklogStats,
  OutcomeStats,
  ResolutionTimeByTypeStats,
  ResolutionTimeStats,
  ThroughputStats,
} from './stats.view';

const readers = { roles: everyone, scopes: ['tasks:read'] } as const;

// People count every task of their organisation; services never count private tasks, not even
// their own: a figure cannot say whose task it counted (see PrivateTasks).
const audienceOf = (principal: Principal): StatsAudience => ({
  privateTasks: principal.actor.kind === 'user' ? 'counted' : 'left-out',
  ...(principal.assignedTo ? { assignedTo: principal.assignedTo } : {}),
});

@ApiTags('stats')
@ApiBearerAuth()
@Controller('api/stats')
export class StatsController {
  constructor(
    private readonly stats: StatsService,
    private readonly recomputes: StatsRecomputeWorker,
  ) {}

  @ApiOperation({
    summary: 'How far the business-hours recompute after a calendar change is: { state, done, total }.',
    description:
      'A calendar change (PUT /api/settings/calendar) recomputes every resolved task in the background; stats keep answering meanwhile.',
  })
  @Allow(readers)
  @ApiOkResponse({ type: StatsRecomputeDto })
  @Get('recompute')
  recompute(@CurrentPrincipal() principal: Principal): Promise<RecomputeProgress> {
    return this.recomputes.progress(principal.orgId);
  }

  @ApiOperation({
    summary: 'How long completed tasks took: median, 90th percentile and slowest',
    description:
      'Over tasks completed in the period (default: the last six months); businessHours=true counts working hours only.',
  })
  @ApiOkResponse({ type: ResolutionTimeStats })
  @Allow(readers)
  @Get('resolution-time')
  resolutionTime(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ResolutionTimeQueryDto,
  ): Promise<ResolutionTimeStats> {
    return this.stats.resolutionTime(principal.orgId, query, audienceOf(principal));
  }

  @ApiOperation({
    summary: 'Resolution times per task type',
    description:
      'Every type with a task created or finished in the period, most completed first; a type with no completed task has count 0 and null figures.',
  })
  @ApiOkResponse({ type: ResolutionTimeByTypeStats })
  // People only: it names every task type of the organisation, private tasks' included, which a
  // service may not learn of another service's tasks.
  @Allow({ roles: everyone })
  @Get('resolution-time/by-type')
  resolutionTimeByType(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ResolutionTimeQueryDto,
  ): Promise<ResolutionTimeByTypeStats> {
    return this.stats.resolutionTimeByType(principal.orgId, query, audienceOf(principal));
  }

  @ApiOperation({
    summary: 'How tasks ended: the share of each resolution, e.g. 60% rejected / 40% accepted',
    description: 'Completed tasks by resolution, and cancelled tasks as their own outcome, finished in the period.',
  })
  @ApiOkResponse({ type: OutcomeStats })
  @Allow(readers)
  @Get('outcomes')
  outcomes(@CurrentPrincipal() principal: Principal, @Query() query: StatsQueryDto): Promise<OutcomeStats> {
    return this.stats.outcomes(principal.orgId, query, audienceOf(principal));
  }

  @ApiOperation({ summary: 'Open tasks at the end of each day (week, month) of the period' })
  @ApiOkResponse({ type: BacklogStats })
  @Allow(readers)
  @Get('backlog')
  backlog(@CurrentPrincipal() principal: Principal, @Query() query: SeriesQueryDto): Promise<BacklogStats> {
    return this.stats.backlog(principal.orgId, query, audienceOf(principal));
  }

  @ApiOperation({ summary: 'Tasks created, resolved and cancelled per day (week, month) of the period' })
  @ApiOkResponse({ type: ThroughputStats })
  @Allow(readers)
  @Get('throughput')
  throughput(@CurrentPrincipal() principal: Principal, @Query() query: SeriesQueryDto): Promise<ThroughputStats> {
    return this.stats.throughput(principal.orgId, query, audienceOf(principal));
  }
}
