import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow, CurrentPrincipal, everyone, type Principal } from '@taskinbox/auth';
import { DeviceGroupDto, DeviceGroupView } from './device-group.dto';
import { DeviceGroupService } from './device-group.service';

@ApiTags('devices')
@ApiBearerAuth()
@Controller('api/device-groups')
export class DeviceGroupController {
  constructor(private readonly groups: DeviceGroupService) {}

  @ApiOperation({ summary: 'List the device groups' })
  @ApiOkResponse({ type: [DeviceGroupView] })
  @Allow({ roles: everyone })
  @Get()
  list(@CurrentPrincipal() principal: Principal): Promise<DeviceGroupView[]> {
    return this.groups.list(principal.orgId);
  }

  @ApiOperation({ summary: 'Create a device group' })
  @ApiCreatedResponse({ type: DeviceGroupView })
  @Allow({ roles: ['admin'] })
  @Post()
  create(@CurrentPrincipal() principal: Principal, @Body() body: DeviceGroupDto): Promise<DeviceGroupView> {
    return this.groups.create(principal.orgId, body);
  }

  @ApiOperation({ summary: 'Get one device group' })
  @ApiOkResponse({ type: DeviceGroupView })
  @Allow({ roles: everyone })
  @Get(':id')
  get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<DeviceGroupView> {
    return this.groups.get(principal.orgId, id);
  }

  @ApiOperation({ summary: 'Replace a device group' })
  @ApiOkResponse({ type: DeviceGroupView })
  @Allow({ roles: ['admin'] })
  @Put(':id')
  replace(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: DeviceGroupDto,
  ): Promise<DeviceGroupView> {
    return this.groups.replace(principal.orgId, id, body);
  }

  @ApiOperation({ summary: 'Delete a device group' })
  @ApiNoContentResponse({ description: 'Its schedules go with it.' })
  @Allow({ roles: ['admin'] })
  @Delete(':id')
  @HttpCode(204)
  async remove(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.groups.remove(principal.orgId, id);
  }
}
