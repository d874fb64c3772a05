import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Req } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Allow, CurrentPrincipal, everyone, type Principal, workers } from '@taskinbox/auth';
import { devicesErrors } from '../devices.errors';
import { RunCommands } from '../runs/run.commands';
import { JobDto, JobView, RunNowDto, RunNowView } from './job.dto';
import { JobService } from './job.service';
import { ScheduleDto, ScheduleView } from './schedule.dto';

@ApiTags('jobs')
@ApiBearerAuth()
@Controller('api/jobs')
export class JobController {
  constructor(
    private readonly jobs: JobService,
    private readonly runs: RunCommands,
  ) {}

  @ApiOperation({ summary: 'List the jobs' })
  @ApiOkResponse({ type: [JobView] })
  @Allow({ roles: everyone })
  @Get()
  list(@CurrentPrincipal() principal: Principal): Promise<JobView[]> {
    return this.jobs.list(principal.orgId);
  }

  @ApiOperation({ summary: 'A job: a description and ordered actions (HTTP_REQUEST, SCRIPT, COMMAND, READ_FILE).' })
  @ApiCreatedResponse({ type: JobView })
  @Allow({ roles: ['admin'] })
  @Post()
  create(@CurrentPrincipal() principal: Principal, @Body() body: JobDto): Promise<JobView> {
    return this.jobs.create(principal.orgId, principal.actor.id, body);
  }

  @ApiOperation({ summary: 'Get one job at its latest version' })
  @ApiOkResponse({ type: JobView })
  @Allow({ roles: everyone })
  @Get(':id')
  get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<JobView> {
    return this.jobs.get(principal.orgId, id);
  }

  @ApiOperation({ summary: 'Replaces the job: a new version. Runs already asked for keep the version they carry.' })
  @ApiOkResponse({ type: JobView })
  @Allow({ roles: ['admin'] })
  @Put(':id')
  replace(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: JobDto,
  ): Promise<JobView> {
    return this.jobs.replace(principal.orgId, id, body);
  }

  @ApiOperation({ summary: 'Deletes the job and its schedules; its run history stays until its retention ends.' })
  @ApiNoContentResponse()
  @Allow({ roles: ['admin'] })
  @Delete(':id')
  @HttpCode(204)
  async remove(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.jobs.remove(principal.orgId, id);
  }

  @ApiOperation({
    summary:
      'Run now on one device or on every enrolled device of a group (a run each). Devices are woken over NATS; ' +
      'an offline device runs it when it is back.',
  })
  @ApiAcceptedResponse({ type: RunNowView })
  @Allow({ roles: workers })
  @Post(':id/runs')
  @HttpCode(202)
  runNow(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: RunNowDto,
    @Req() request: FastifyRequest,
  ): Promise<RunNowView> {
    if (body.deviceId !== undefined && body.groupId !== undefined)
      throw devicesErrors.invalid('groupId', 'must not be given together with deviceId');
    return this.runs.runNow({ orgId: principal.orgId, userId: principal.actor.id }, id, body, String(request.id));
  }

  @ApiOperation({ summary: 'A schedule: cron in an IANA time zone, on a device or a group, with misfire and overlap policies.' })
  @ApiCreatedResponse({ type: ScheduleView })
  @Allow({ roles: ['admin'] })
  @Post(':id/schedules')
  addSchedule(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ScheduleDto,
  ): Promise<ScheduleView> {
    return this.jobs.addSchedule(principal.orgId, id, body);
  }

  @ApiOperation({ summary: "Replace a job's schedule" })
  @ApiOkResponse({ type: ScheduleView })
  @Allow({ roles: ['admin'] })
  @Put(':id/schedules/:scheduleId')
  replaceSchedule(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('scheduleId', ParseUUIDPipe) scheduleId: string,
    @Body() body: ScheduleDto,
  ): Promise<ScheduleView> {
    return this.jobs.replaceSchedule(principal.orgId, id, scheduleId, body);
  }

  @ApiOperation({ summary: "Remove a job's schedule" })
  @ApiNoContentResponse()
  @Allow({ roles: ['admin'] })
  @Delete(':id/schedules/:scheduleId')
  @HttpCode(204)
  async removeSchedule(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('scheduleId', ParseUUIDPipe) scheduleId: string,
  ): Promise<void> {
    await this.jobs.removeSchedule(principal.orgId, id, scheduleId);
  }
}
