import { Body, Controller, Get, HttpCode, Inject, Param, ParseIntPipe, ParseUUIDPipe, Post, Put, Req, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Public } from '@taskinbox/auth';
import type { DeviceStore } from '../aggregates';
import { type Clock, DEVICES_CLOCK } from '../devices.clock';
import { DEVICE_STORE } from '../devices.tokens';
import { Enrolment } from '../enrolment/enrolment.service';
import { JobService } from '../jobs/job.service';
import { type DeviceCaller, RunCommands } from '../runs/run.commands';
import { AgentSessions } from './agent-session.service';
import {
  ActionReportDto,
  AgentSessionView,
  AgentWorkView,
  ChallengeDto,
  ChallengeView,
  EnrolDto,
  EnrolmentView,
  ReportFactsDto,
  RunCancelledDto,
  RunFinishDto,
  RunMissedDto,
  RunOrderView,
  RunStartDto,
  RunStatusDto,
  SessionDto,
} from './agent.dto';
import { AgentGuard, CurrentDevice } from './agent.guard';

const correlation = (request: FastifyRequest): string => String(request.id);

/** Enrolment and the session handshake: no credentials but the token or the device's signature. */
@ApiTags('device agents')
@Public()
@Controller('api/devices')
export class AgentEnrolmentController {
  constructor(
    private readonly enrolment: Enrolment,
    private readonly sessions: AgentSessions,
  ) {}

  @ApiOperation({
    summary:
      'An agent enrols with a single-use enrolment token and the public half of the nkey it made, signing ' +
      '`taskinbox-device-enrolment:<token>` with it. 401 for a token that is unknown, used, revoked or expired.',
  })
  @ApiCreatedResponse({ type: EnrolmentView })
  @Post('enrol')
  enrol(@Body() body: EnrolDto, @Req() request: FastifyRequest): Promise<EnrolmentView> {
    return this.enrolment.enrol(body, correlation(request));
  }

  @ApiOperation({
    summary:
      'A nonce for the device to sign with its nkey (valid one minute, single use). Asking again does not spend ' +
      'the nonces already handed out.',
  })
  @ApiOkResponse({ type: ChallengeView })
  @Post('agent/challenge')
  @HttpCode(200)
  challenge(@Body() body: ChallengeDto): Promise<ChallengeView> {
    return this.sessions.challenge(body.deviceId);
  }

  @ApiOperation({
    summary:
      'The signed nonce buys a new access token and a new NATS user JWT (renewal). 401 device_auth_failed for a ' +
      'nonce that is unknown, spent, expired or not signed by the device (ask a new one); 409 device_unenrolled, ' +
      'only to the holder of the key, once the device is unenrolled (the agent stops for good).',
  })
  @ApiOkResponse({ type: AgentSessionView })
  @Post('agent/session')
  @HttpCode(200)
  session(@Body() body: SessionDto): Promise<AgentSessionView> {
    return this.sessions.open(body.deviceId, body.nonce, body.signature);
  }
}

/** What an enrolled device asks and reports, with its access token; it reaches its own runs only. */
@ApiTags('device agents')
@ApiBearerAuth()
@Public()
@UseGuards(AgentGuard)
@Controller('api/devices/agent')
export class AgentController {
  constructor(
    private readonly runs: RunCommands,
    private readonly jobs: JobService,
    @Inject(DEVICE_STORE) private readonly devices: DeviceStore,
    @Inject(DEVICES_CLOCK) private readonly clock: Clock,
  ) {}

  @ApiOperation({ summary: 'Runs waiting for this device and every schedule that reaches it (to cache).' })
  @ApiOkResponse({ type: AgentWorkView })
  @Get('work')
  async work(@CurrentDevice() device: DeviceCaller): Promise<AgentWorkView> {
    const [runs, schedules] = await Promise.all([this.runs.pending(device), this.jobs.schedulesFor(device.orgId, device.deviceId)]);
    return { runs, schedules } as AgentWorkView;
  }

  @ApiOperation({ summary: "The machine's facts and the labels its operator gave the agent." })
  @ApiNoContentResponse()
  @Put('facts')
  @HttpCode(204)
  async facts(@CurrentDevice() device: DeviceCaller, @Body() body: ReportFactsDto, @Req() request: FastifyRequest): Promise<void> {
    await this.devices.execute(
      device.deviceId,
      () => ({ orgId: device.orgId, actor: `device:${device.deviceId}`, correlationId: correlation(request) }),
      () => [{ type: 'ReportFacts', facts: { ...body.facts }, labels: body.labels, now: this.clock.now().toISOString() }],
    );
  }

  @ApiOperation({ summary: 'Fetches a run (woken for it, or found waiting): the job to run. Repeatable.' })
  @ApiOkResponse({ type: RunOrderView })
  @Post('runs/:id/dispatch')
  @HttpCode(200)
  dispatch(
    @CurrentDevice() device: DeviceCaller,
    @Param('id', ParseUUIDPipe) id: string,
    @Req() request: FastifyRequest,
  ): Promise<RunOrderView> {
    return this.runs.dispatch(device, id, correlation(request)) as Promise<RunOrderView>;
  }

  @ApiOperation({ summary: 'The run as the server knows it: cancelled runs are stopped.' })
  @ApiOkResponse({ type: RunStatusDto })
  @Get('runs/:id')
  status(@CurrentDevice() device: DeviceCaller, @Param('id', ParseUUIDPipe) id: string): Promise<RunStatusDto> {
    return this.runs.status(device, id);
  }

  @ApiOperation({ summary: 'The run started (a scheduled slot the agent fired itself names its schedule).' })
  @ApiNoContentResponse()
  @Post('runs/:id/start')
  @HttpCode(204)
  async start(
    @CurrentDevice() device: DeviceCaller,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: RunStartDto,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    await this.runs.start(device, id, body, correlation(request));
  }

  @ApiOperation({ summary: 'One action finished: code, capped output and error, duration. Idempotent per index.' })
  @ApiNoContentResponse()
  @Put('runs/:id/actions/:index')
  @HttpCode(204)
  async action(
    @CurrentDevice() device: DeviceCaller,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('index', ParseIntPipe) index: number,
    @Body() body: ActionReportDto,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    await this.runs.finishAction(device, id, index, body, correlation(request));
  }

  @ApiOperation({ summary: 'The run ended; succeeded when every action did. A failed run may open an inbox task.' })
  @ApiNoContentResponse()
  @Post('runs/:id/finish')
  @HttpCode(204)
  async finish(
    @CurrentDevice() device: DeviceCaller,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: RunFinishDto,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    await this.runs.finish(device, id, body, correlation(request));
  }

  @ApiOperation({ summary: 'A scheduled slot did not run (misfire or overlap policy, deadline): recorded as RunMissed.' })
  @ApiNoContentResponse()
  @Post('runs/:id/missed')
  @HttpCode(204)
  async missed(
    @CurrentDevice() device: DeviceCaller,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: RunMissedDto,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    await this.runs.missed(device, id, body, correlation(request));
  }

  @ApiOperation({ summary: 'The device stopped its own run (overlap policy replace).' })
  @ApiNoContentResponse()
  @Post('runs/:id/cancelled')
  @HttpCode(204)
  async cancelled(
    @CurrentDevice() device: DeviceCaller,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: RunCancelledDto,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    await this.runs.cancelledByDevice(device, id, body, correlation(request));
  }
}
