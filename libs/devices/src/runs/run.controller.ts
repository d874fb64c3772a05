import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Allow, CurrentPrincipal, everyone, type Principal, workers } from '@taskinbox/auth';
import { RunCommands } from './run.commands';
import { CancelRunDto, RunDetail, RunListQuery, RunPage } from './run.dto';
import { RunQueries } from './run.queries';

@ApiTags('jobs')
@ApiBearerAuth()
@Controller('api/runs')
export class RunController {
  constructor(
    private readonly queries: RunQueries,
    private readonly commands: RunCommands,
  ) {}

  @ApiOperation({ summary: 'Run history, newest first: by job, device, group run (batchId) or status.' })
  @ApiOkResponse({ type: RunPage })
  @Allow({ roles: everyone })
  @Get()
  list(@CurrentPrincipal() principal: Principal, @Query() query: RunListQuery): Promise<RunPage> {
    return this.queries.list(principal.orgId, query);
  }

  @ApiOperation({ summary: 'A run with each action’s code, capped output and error.' })
  @ApiOkResponse({ type: RunDetail })
  @Allow({ roles: everyone })
  @Get(':id')
  get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<RunDetail> {
    return this.queries.get(principal.orgId, id);
  }

  @ApiOperation({ summary: 'Cancels a run that has not finished; a running one is stopped on the device.' })
  @ApiNoContentResponse()
  @Allow({ roles: workers })
  @Post(':id/cancel')
  @HttpCode(204)
  async cancel(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: CancelRunDto,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    await this.commands.cancel(
      { orgId: principal.orgId, userId: principal.actor.id },
      id,
      body.reason ?? 'cancelled',
      String(request.id),
    );
  }
}
