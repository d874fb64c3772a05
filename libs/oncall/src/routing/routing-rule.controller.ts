import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow, CurrentPrincipal, everyone, type Principal } from '@taskinbox/auth';
import { RoutingRuleDto, RoutingRuleView } from './routing-rule.dto';
import { RoutingRuleService } from './routing-rule.service';

@ApiTags('on-call')
@ApiBearerAuth()
@Controller('api/routing-rules')
export class RoutingRuleController {
  constructor(private readonly rules: RoutingRuleService) {}

  @ApiOperation({ summary: 'List the routing rules, in the order they are tried' })
  @ApiOkResponse({ type: [RoutingRuleView], description: 'In the order routing tries them.' })
  @Allow({ roles: everyone })
  @Get()
  list(@CurrentPrincipal() principal: Principal): Promise<RoutingRuleView[]> {
    return this.rules.list(principal.orgId);
  }

  @ApiOperation({ summary: 'Create a routing rule' })
  @ApiCreatedResponse({ type: RoutingRuleView })
  @Allow({ roles: ['admin'] })
  @Post()
  create(@CurrentPrincipal() principal: Principal, @Body() body: RoutingRuleDto): Promise<RoutingRuleView> {
    return this.rules.create(principal.orgId, body);
  }

  @ApiOperation({ summary: 'Get one routing rule' })
  @ApiOkResponse({ type: RoutingRuleView })
  @Allow({ roles: everyone })
  @Get(':id')
  get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<RoutingRuleView> {
    return this.rules.get(principal.orgId, id);
  }

  @ApiOperation({ summary: 'Replace a routing rule' })
  @ApiOkResponse({ type: RoutingRuleView })
  @Allow({ roles: ['admin'] })
  @Put(':id')
  replace(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: RoutingRuleDto,
  ): Promise<RoutingRuleView> {
    return this.rules.replace(principal.orgId, id, body);
  }

  @ApiOperation({ summary: 'Delete a routing rule' })
  @ApiNoContentResponse()
  @Allow({ roles: ['admin'] })
  @Delete(':id')
  @HttpCode(204)
  async remove(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.rules.remove(principal.orgId, id);
  }
}
