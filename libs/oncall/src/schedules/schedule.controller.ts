import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow, CurrentPrincipal, everyone, type Principal } from '@taskinbox/auth';
import {
  OnCallQuery,
  OnCallSpanView,
  OnCallView,
  OverrideDto,
  OverrideView,
  ScheduleDto,
  ScheduleView,
  SpansQuery,
} from './schedule.dto';
import { ScheduleService } from './schedule.service';

@ApiTags('on-call')
@ApiBearerAuth()
@Controller('api/oncall/schedules')
export class ScheduleController {
  constructor(private readonly schedules: ScheduleService) {}

  @ApiOperation({ summary: 'List the on-call schedules' })
  @ApiOkResponse({ type: [ScheduleView] })
  @Allow({ roles: everyone })
  @Get()
  list(@CurrentPrincipal() principal: Principal): Promise<ScheduleView[]> {
    return this.schedules.list(principal.orgId);
  }

  @ApiOperation({ summary: 'Create an on-call schedule' })
  @ApiCreatedResponse({ type: ScheduleView })
  @Allow({ roles: ['admin'] })
  @Post()
  create(@CurrentPrincipal() principal: Principal, @Body() body: ScheduleDto): Promise<ScheduleView> {
    return this.schedules.create(principal.orgId, body);
  }

  @ApiOperation({ summary: 'Get one on-call schedule' })
  @ApiOkResponse({ type: ScheduleView })
  @Allow({ roles: everyone })
  @Get(':id')
  get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<ScheduleView> {
    return this.schedules.get(principal.orgId, id);
  }

  @ApiOperation({ summary: 'Replace an on-call schedule' })
  @ApiOkResponse({ type: ScheduleView })
  @Allow({ roles: ['admin'] })
  @Put(':id')
  replace(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ScheduleDto,
  ): Promise<ScheduleView> {
    return this.schedules.replace(principal.orgId, id, body);
  }

  @ApiOperation({ summary: 'Delete an on-call schedule' })
  @ApiNoContentResponse()
  @Allow({ roles: ['admin'] })
  @Delete(':id')
  @HttpCode(204)
  async remove(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.schedules.remove(principal.orgId, id);
  }

  @ApiOperation({ summary: 'Who is on call now, and who is next' })
  @ApiOkResponse({ type: OnCallView, description: 'Who is on call now (or at `at`) and who comes next.' })
  @Allow({ roles: everyone })
  @Get(':id/on-call')
  onCall(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: OnCallQuery,
  ): Promise<OnCallView> {
    return this.schedules.onCall(principal.orgId, id, query.at);
  }

  @ApiOperation({ summary: 'Who is on call over a period, span by span' })
  @ApiOkResponse({ type: [OnCallSpanView], description: 'Who is on call from `from` to `to`, span by span.' })
  @Allow({ roles: everyone })
  @Get(':id/spans')
  spans(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: SpansQuery,
  ): Promise<OnCallSpanView[]> {
    return this.schedules.spans(principal.orgId, id, query.from, query.to);
  }

  @ApiOperation({ summary: 'Put someone on call in place of the rotation for a while' })
  @ApiCreatedResponse({ type: OverrideView })
  @Allow({ roles: ['admin'] })
  @Post(':id/overrides')
  addOverride(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: OverrideDto,
  ): Promise<OverrideView> {
    const by = principal.actor.kind === 'user' ? principal.actor.id : null;
    return this.schedules.addOverride(principal.orgId, id, body, by);
  }

  @ApiOperation({ summary: 'Remove an override' })
  @ApiNoContentResponse()
  @Allow({ roles: ['admin'] })
  @Delete(':id/overrides/:overrideId')
  @HttpCode(204)
  async removeOverride(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('overrideId', ParseUUIDPipe) overrideId: string,
  ): Promise<void> {
    await this.schedules.removeOverride(principal.orgId, id, overrideId);
  }
}
