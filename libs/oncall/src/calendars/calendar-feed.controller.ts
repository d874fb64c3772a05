import { Controller, Get, Header, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiProperty,
  ApiTags,
} from '@nestjs/swagger';
import { Allow, CurrentPrincipal, everyone, type Principal, Public } from '@taskinbox/auth';
import { CalendarFeeds } from './calendar-feed.service';

export class CalendarFeedView {
  @ApiProperty({
    description: 'Subscribe to this URL in a calendar app. Shown once; asking again replaces it.',
    example: 'https://tasks.example.com/api/oncall/calendars/Zq8XlT3vR1mP9sK2bW7yN4cD6fH0jA5eG8iL1oU3tQx',
  })
  url!: string;
}

@ApiTags('on-call')
@Controller('api/oncall')
export class CalendarFeedController {
  constructor(private readonly feeds: CalendarFeeds) {}

  @ApiOperation({ summary: "A calendar feed link of a schedule's shifts" })
  @ApiBearerAuth()
  @ApiCreatedResponse({ type: CalendarFeedView })
  @Allow({ roles: everyone })
  @Post('schedules/:id/calendar-feed')
  forSchedule(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<CalendarFeedView> {
    return this.feeds.forSchedule(principal.orgId, id);
  }

  @ApiOperation({ summary: 'A calendar feed link of your own shifts' })
  @ApiBearerAuth()
  @ApiCreatedResponse({ type: CalendarFeedView, description: "The caller's own shifts on every schedule." })
  @Allow({ roles: everyone })
  @Post('my-calendar-feed')
  forMe(@CurrentPrincipal() principal: Principal): Promise<CalendarFeedView> {
    return this.feeds.forPerson(principal.orgId, principal.actor.id);
  }

  @ApiOperation({ summary: 'The shifts of a calendar feed link (iCalendar)' })
  @ApiProduces('text/calendar')
  @ApiOkResponse({ description: 'RFC 5545 calendar: a week back, 60 days ahead.', schema: { type: 'string' } })
  @ApiNotFoundResponse({ description: 'Unknown or replaced link.' })
  @Public()
  @Header('content-type', 'text/calendar; charset=utf-8')
  @Header('cache-control', 'private, max-age=300')
  @Get('calendars/:token')
  calendar(@Param('token') token: string): Promise<string> {
    return this.feeds.calendar(token);
  }
}
