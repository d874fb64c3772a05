import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Allow, CurrentPrincipal, type Principal } from '@taskinbox/auth';
import { CreateEventReaderDto, EventReaderCreatedView, EventReaderView } from './event-reader.dto';
import { EventReaderService } from './event-reader.service';

@ApiTags('event readers')
@ApiBearerAuth()
@Allow({ roles: ['admin'] })
@Controller('api/event-readers')
export class EventReaderController {
  constructor(private readonly readers: EventReaderService) {}

  @ApiOperation({
    summary:
      "NATS credentials that read this organisation's task events and nothing else: live, and from a JetStream consumer of " +
      'their own. The credentials in the response are shown this once.',
  })
  @ApiCreatedResponse({ type: EventReaderCreatedView })
  @Post()
  issue(@CurrentPrincipal() principal: Principal, @Body() body: CreateEventReaderDto): Promise<EventReaderCreatedView> {
    return this.readers.issue(principal.orgId, body.name, principal.actor.id);
  }

  @ApiOperation({ summary: 'List the event readers (without their credentials)' })
  @ApiOkResponse({ type: [EventReaderView] })
  @Get()
  list(@CurrentPrincipal() principal: Principal): Promise<EventReaderView[]> {
    return this.readers.list(principal.orgId);
  }

  @ApiOperation({
    summary:
      'Revokes the credentials at once: NATS closes their connections within moments and refuses them from then on.',
  })
  @ApiNoContentResponse()
  @Delete(':id')
  @HttpCode(204)
  async revoke(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.readers.revoke(principal.orgId, id, principal.actor.id);
  }
}
