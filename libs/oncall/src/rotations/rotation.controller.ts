import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow, CurrentPrincipal, everyone, type Principal } from '@taskinbox/auth';
import { RotationDto, RotationView } from './rotation.dto';
import { RotationService } from './rotation.service';

@ApiTags('on-call')
@ApiBearerAuth()
@Controller('api/oncall/rotations')
export class RotationController {
  constructor(private readonly rotations: RotationService) {}

  @ApiOperation({ summary: 'List the on-call rotations' })
  @ApiOkResponse({ type: [RotationView] })
  @Allow({ roles: everyone })
  @Get()
  list(@CurrentPrincipal() principal: Principal): Promise<RotationView[]> {
    return this.rotations.list(principal.orgId);
  }

  @ApiOperation({ summary: 'Create an on-call rotation' })
  @ApiCreatedResponse({ type: RotationView })
  @Allow({ roles: ['admin'] })
  @Post()
  create(@CurrentPrincipal() principal: Principal, @Body() body: RotationDto): Promise<RotationView> {
    return this.rotations.create(principal.orgId, body);
  }

  @ApiOperation({ summary: 'Get one on-call rotation' })
  @ApiOkResponse({ type: RotationView })
  @Allow({ roles: everyone })
  @Get(':id')
  get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<RotationView> {
    return this.rotations.get(principal.orgId, id);
  }

  @ApiOperation({ summary: 'Replace an on-call rotation' })
  @ApiOkResponse({ type: RotationView, description: 'Editing only the people keeps whoever is on call now on call.' })
  @Allow({ roles: ['admin'] })
  @Put(':id')
  replace(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: RotationDto,
  ): Promise<RotationView> {
    return this.rotations.replace(principal.orgId, id, body);
  }

  @ApiOperation({ summary: 'Delete an on-call rotation' })
  @ApiNoContentResponse({ description: 'Refused with 409 while a schedule rule uses it.' })
  @Allow({ roles: ['admin'] })
  @Delete(':id')
  @HttpCode(204)
  async remove(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.rotations.remove(principal.orgId, id);
  }
}
