import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow, CurrentPrincipal, everyone, type Principal } from '@taskinbox/auth';
import { TransparencySettingsDto } from './transparency-settings.dto';
import { type TransparencySettings, TransparencySettingsService } from './transparency-settings.service';

@ApiTags('transparency')
@ApiBearerAuth()
@Controller('api/transparency/settings')
export class TransparencySettingsController {
  constructor(private readonly settings: TransparencySettingsService) {}

  @ApiOperation({ summary: 'What end users are shown: status link lifetime, public stats, ETA hooks' })
  @ApiOkResponse({ type: TransparencySettingsDto })
  @Allow({ roles: everyone })
  @Get()
  get(@CurrentPrincipal() principal: Principal): Promise<TransparencySettings> {
    return this.settings.get(principal.orgId);
  }

  @ApiOperation({ summary: "Sets how long status links outlive their task, public stats and the ETA hooks (admins)." })
  @ApiOkResponse({ type: TransparencySettingsDto })
  @Allow({ roles: ['admin'] })
  @Put()
  replace(@CurrentPrincipal() principal: Principal, @Body() body: TransparencySettingsDto): Promise<TransparencySettings> {
    return this.settings.replace(principal.orgId, {
      linkTtlDays: body.linkTtlDays,
      publicStats: body.publicStats,
      etaHooks: body.etaHooks.map(({ feature, op, value, multiply, addMinutes, sentence }) => ({
        feature,
        op,
        value,
        ...(multiply === undefined ? {} : { multiply }),
        ...(addMinutes === undefined ? {} : { addMinutes }),
        sentence,
      })),
    });
  }
}
