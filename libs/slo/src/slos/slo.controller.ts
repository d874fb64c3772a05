import { Body, Controller, Delete, Get, Header, HttpCode, Param, ParseUUIDPipe, Post, Put } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { Allow, CurrentPrincipal, everyone, type Principal } from '@taskinbox/auth';
import { toOpenSloYaml } from '../pure/openslo';
import { SloDto, SloStatusView, SloView } from './slo.dto';
import { SloStatusService } from './slo-status.service';
import { SloService } from './slo.service';

const readers = { roles: everyone };
const admins = { roles: ['admin'] as const };

@ApiTags('slos')
@ApiBearerAuth()
@Controller('api')
export class SloController {
  constructor(
    private readonly slos: SloService,
    private readonly statuses: SloStatusService,
  ) {}

  @ApiOperation({
    summary: 'Register an SLO: targetPercent of tasks of taskType resolved within withinBusinessHours over windowDays.',
  })
  @ApiCreatedResponse({ type: SloView })
  @Allow(admins)
  @Post('slos')
  create(@CurrentPrincipal() principal: Principal, @Body() body: SloDto): Promise<SloView> {
    return this.slos.create(principal.orgId, body);
  }

  @ApiOperation({ summary: 'List the SLOs' })
  @ApiOkResponse({ type: [SloView] })
  @Allow(readers)
  @Get('slos')
  list(@CurrentPrincipal() principal: Principal): Promise<SloView[]> {
    return this.slos.list(principal.orgId);
  }

  @ApiOperation({ summary: 'Get one SLO' })
  @ApiOkResponse({ type: SloView })
  @Allow(readers)
  @Get('slos/:id')
  get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<SloView> {
    return this.slos.get(principal.orgId, id);
  }

  @ApiOperation({ summary: 'The SLO as an OpenSLO v1 YAML document.' })
  @ApiProduces('application/yaml')
  @ApiOkResponse({ schema: { type: 'string' } })
  @Allow(readers)
  @Header('content-type', 'application/yaml; charset=utf-8')
  @Get('slos/:id/openslo.yaml')
  async yaml(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<string> {
    return toOpenSloYaml(await this.slos.definition(principal.orgId, id));
  }

  @ApiOperation({ summary: 'Attainment, error budget and burn rates now.' })
  @ApiOkResponse({ type: SloStatusView })
  @Allow(readers)
  @Get('slos/:id/status')
  async status(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<SloStatusView> {
    return this.statuses.status(await this.slos.definition(principal.orgId, id));
  }

  @ApiOperation({ summary: 'Attainment, error budget and burn rates of every SLO of the organisation.' })
  @ApiOkResponse({ type: [SloStatusView] })
  @Allow(readers)
  @Get('stats/slos')
  async stats(@CurrentPrincipal() principal: Principal): Promise<SloStatusView[]> {
    const now = this.statuses.now();
    const slos = await this.slos.list(principal.orgId);
    return Promise.all(
      slos.map(async (slo) => this.statuses.status(await this.slos.definition(principal.orgId, slo.id), now)),
    );
  }

  @ApiOperation({ summary: 'Replace an SLO' })
  @ApiOkResponse({ type: SloView })
  @Allow(admins)
  @Put('slos/:id')
  replace(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: SloDto,
  ): Promise<SloView> {
    return this.slos.replace(principal.orgId, id, body);
  }

  @ApiOperation({ summary: 'Delete an SLO' })
  @ApiNoContentResponse({ description: 'Its alert history stays in the event log.' })
  @Allow(admins)
  @Delete('slos/:id')
  @HttpCode(204)
  async remove(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.slos.remove(principal.orgId, id);
  }
}
