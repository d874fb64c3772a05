import {
  Body,
  Controller,
  Headers,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  type RawBodyRequest,
  Req,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Public } from '@taskinbox/auth';
import { InboundAcceptedView, InboundEventDto } from './inbound-event.dto';
import { InboundEventService } from './inbound-event.service';

@ApiTags('inbound')
@Controller('api/inbound')
export class InboundEventController {
  constructor(private readonly events: InboundEventService) {}

  @ApiOperation({
    summary:
      'A signed event from an inbound source (Standard Webhooks): post information on a task, or cancel it (senders only).',
    description:
      'Signed with the source secret over `webhook-id.webhook-timestamp.body`; a timestamp more than 5 minutes away and a webhook-id already accepted are refused.',
  })
  @ApiHeader({ name: 'webhook-id', required: true })
  @ApiHeader({ name: 'webhook-timestamp', required: true, description: 'Seconds since the epoch.' })
  @ApiHeader({ name: 'webhook-signature', required: true, description: 'Space-separated `v1,<base64 HMAC-SHA256>`.' })
  @ApiAcceptedResponse({ type: InboundAcceptedView })
  @ApiUnauthorizedResponse({
    description: 'inbound_signature_invalid, inbound_timestamp_stale or inbound_replayed; nothing is written.',
  })
  @ApiForbiddenResponse({ description: 'A third party may not cancel.' })
  @ApiNotFoundResponse({ description: 'No such task among those the source may reach.' })
  @Public()
  @Post(':sourceId')
  @HttpCode(202)
  accept(
    @Param('sourceId', ParseUUIDPipe) sourceId: string,
    @Headers('webhook-id') id: string | undefined,
    @Headers('webhook-timestamp') timestamp: string | undefined,
    @Headers('webhook-signature') signature: string | undefined,
    @Body() body: InboundEventDto,
    @Req() request: RawBodyRequest<FastifyRequest>,
  ): Promise<InboundAcceptedView> {
    return this.events.accept(sourceId, { id, timestamp, signature }, request.rawBody, body, String(request.id));
  }
}
