import { Body, Controller, Delete, Get, HttpCode, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow, CurrentPrincipal, everyone, type Principal } from '@taskinbox/auth';
import { UrgencyEvaluator } from '../urgency.evaluator';
import { UrgencyRulesDto, UrgencyRulesView } from './urgency-rule.dto';
import { UrgencyRuleStore } from './urgency-rule.store';

@ApiTags('urgency')
@ApiBearerAuth()
@Controller('api/urgency-rules')
export class UrgencyRuleController {
  constructor(
    private readonly rules: UrgencyRuleStore,
    private readonly evaluator: UrgencyEvaluator,
  ) {}

  @ApiOperation({ summary: "The organisation's urgency rules, in order (first match wins)." })
  @ApiOkResponse({ type: UrgencyRulesView })
  @Allow({ roles: everyone })
  @Get()
  get(@CurrentPrincipal() principal: Principal): Promise<UrgencyRulesView> {
    return this.rules.get(principal.orgId);
  }

  @ApiOperation({ summary: 'Replace the rule list; every open task is evaluated again before the answer.' })
  @ApiOkResponse({ type: UrgencyRulesView })
  @Allow({ roles: ['admin'] })
  @Put()
  async replace(@CurrentPrincipal() principal: Principal, @Body() body: UrgencyRulesDto): Promise<UrgencyRulesView> {
    await this.rules.replace(principal.orgId, body.rules);
    await this.evaluator.evaluate(principal.orgId, false);
    return this.rules.get(principal.orgId);
  }

  @ApiOperation({ summary: 'Clear the urgency rules' })
  @ApiNoContentResponse({ description: 'No rules: every open task is normal again.' })
  @Allow({ roles: ['admin'] })
  @Delete()
  @HttpCode(204)
  async clear(@CurrentPrincipal() principal: Principal): Promise<void> {
    await this.rules.clear(principal.orgId);
    await this.evaluator.evaluate(principal.orgId, false);
  }
}
