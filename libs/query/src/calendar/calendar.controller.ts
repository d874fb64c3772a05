import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow, CurrentPrincipal, everyone, type Principal } from '@taskinbox/auth';
import { CalendarDto, CalendarUpdateDto, CalendarViewDto } from './calendar.dto';
import { type CalendarUpdate, type CalendarView, CalendarService } from './calendar.service';

@ApiTags('settings')
@ApiBearerAuth()
@Controller('api/settings/calendar')
export class CalendarController {
  constructor(private readonly calendars: CalendarService) {}

  @ApiOperation({
    summary:
      "The organisation's working hours (Mon-Fri 09:00-17:00 UTC until set): { timeZone, workingDays, dayStart, dayEnd, isDefault }.",
  })
  @Allow({ roles: everyone, scopes: ['tasks:read'] })
  @ApiOkResponse({ type: CalendarViewDto })
  @Get()
  get(@CurrentPrincipal() principal: Principal): Promise<CalendarView> {
    return this.calendars.forOrg(principal.orgId);
  }

  @ApiOperation({
    summary:
      'Set the working hours (admins); the business-hours duration of every resolved task is recomputed in the background (GET /api/stats/recompute).',
  })
  @Allow({ roles: ['admin'] })
  @ApiOkResponse({ type: CalendarUpdateDto })
  @Put()
  put(@CurrentPrincipal() principal: Principal, @Body() body: CalendarDto): Promise<CalendarUpdate> {
    return this.calendars.replace(principal.orgId, body);
  }
}
