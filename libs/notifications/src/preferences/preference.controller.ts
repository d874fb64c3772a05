import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow, CurrentPrincipal, everyone, type Principal } from '@taskinbox/auth';
import { personOf } from '../notifications.person';
import type { Preferences } from '../pure/delivery-plan';
import { PreferencesDto, PreferencesView } from './preference.dto';
import { NotificationPreferences } from './preference.service';

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('api/notifications/preferences')
export class PreferenceController {
  constructor(private readonly preferences: NotificationPreferences) {}

  @ApiOperation({ summary: 'Your notification preferences' })
  @ApiOkResponse({ type: PreferencesView, description: "The caller's channels per urgency and quiet hours (defaults until saved)." })
  @Allow({ roles: everyone })
  @Get()
  get(@CurrentPrincipal() principal: Principal): Promise<Preferences> {
    return this.preferences.of(personOf(principal));
  }

  @ApiOperation({ summary: 'Save your notification preferences' })
  @ApiOkResponse({ type: PreferencesView })
  @Allow({ roles: everyone })
  @Put()
  save(@CurrentPrincipal() principal: Principal, @Body() body: PreferencesDto): Promise<Preferences> {
    return this.preferences.save(personOf(principal), body);
  }
}
