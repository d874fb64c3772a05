import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Req } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Allow, CurrentPrincipal, everyone, type Principal } from '@taskinbox/auth';
import { EnrolmentTokenCreatedView, EnrolmentTokenDto, EnrolmentTokenView } from '../enrolment/enrolment.dto';
import { Enrolment } from '../enrolment/enrolment.service';
import { DeviceSummary, RenameDeviceDto } from './device.dto';
import { DeviceService } from './device.service';

const caller = (principal: Principal) => ({ orgId: principal.orgId, userId: principal.actor.id });

@ApiTags('devices')
@ApiBearerAuth()
@Controller('api/devices')
export class DeviceController {
  constructor(
    private readonly devices: DeviceService,
    private readonly enrolment: Enrolment,
  ) {}

  @ApiOperation({ summary: "The organisation's devices: online or not, last seen, facts, labels, groups." })
  @ApiQuery({ name: 'unenrolled', required: false, type: Boolean, description: 'Include unenrolled devices.' })
  @ApiOkResponse({ type: [DeviceSummary] })
  @Allow({ roles: everyone })
  @Get()
  list(@CurrentPrincipal() principal: Principal, @Query('unenrolled') unenrolled?: string): Promise<DeviceSummary[]> {
    return this.devices.list(principal.orgId, unenrolled === 'true');
  }

  @ApiOperation({
    summary: 'A single-use, short-lived enrolment token (shown once), optionally putting the device in groups.',
  })
  @ApiCreatedResponse({ type: EnrolmentTokenCreatedView })
  @Allow({ roles: ['admin'] })
  @Post('enrolment-tokens')
  createToken(@CurrentPrincipal() principal: Principal, @Body() body: EnrolmentTokenDto): Promise<EnrolmentTokenCreatedView> {
    return this.enrolment.createToken(principal.orgId, principal.actor.id, body);
  }

  @ApiOperation({ summary: 'List the enrolment tokens not yet used' })
  @ApiOkResponse({ type: [EnrolmentTokenView] })
  @Allow({ roles: ['admin'] })
  @Get('enrolment-tokens')
  listTokens(@CurrentPrincipal() principal: Principal): Promise<EnrolmentTokenView[]> {
    return this.enrolment.listTokens(principal.orgId);
  }

  @ApiOperation({ summary: 'Revoke an enrolment token' })
  @ApiNoContentResponse()
  @Allow({ roles: ['admin'] })
  @Delete('enrolment-tokens/:id')
  @HttpCode(204)
  async revokeToken(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.enrolment.revokeToken(principal.orgId, id);
  }

  @ApiOperation({ summary: 'Get one device' })
  @ApiOkResponse({ type: DeviceSummary })
  @Allow({ roles: everyone })
  @Get(':id')
  get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<DeviceSummary> {
    return this.devices.get(principal.orgId, id);
  }

  @ApiOperation({ summary: 'Rename a device' })
  @ApiOkResponse({ type: DeviceSummary })
  @Allow({ roles: ['admin'] })
  @Patch(':id')
  async rename(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: RenameDeviceDto,
    @Req() request: FastifyRequest,
  ): Promise<DeviceSummary> {
    await this.devices.rename(caller(principal), id, body.name, String(request.id));
    return { ...(await this.devices.get(principal.orgId, id)), name: body.name.trim() };
  }

  @ApiOperation({
    summary:
      'Unenrols the device: its credentials stop working at once (NATS closes its connection and refuses its key), ' +
      'runs waiting for it are cancelled. Its history stays.',
  })
  @ApiNoContentResponse()
  @Allow({ roles: ['admin'] })
  @Delete(':id')
  @HttpCode(204)
  async unenrol(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    await this.devices.unenrol(caller(principal), id, String(request.id));
  }
}
