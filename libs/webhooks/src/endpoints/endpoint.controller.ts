import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow, CurrentPrincipal, type Principal } from '@taskinbox/auth';
import { DeliveryHistory } from '../delivery/delivery.history';
import { AttemptView, DeliveryView, EndpointNoticeView } from '../delivery/delivery.view';
import { CreateEndpointDto, ListAttemptsQuery, ListDeliveriesQuery, ListNoticesQuery, RecoverDto, UpdateEndpointDto } from './endpoint.dto';
import { EndpointService } from './endpoint.service';
import { CreatedWebhookEndpointView, RecoveredView, RotatedSecretView, WebhookEndpointView } from './endpoint.view';

// Everything here is for admins: an endpoint's URL is often a secret in itself (a Slack or
// Teams webhook URL lets anyone post), its deliveries name it, and its headers hold credentials.
const admins = { roles: ['admin'] as const };

@ApiTags('webhooks')
@ApiBearerAuth()
@Allow(admins)
@Controller('api/webhooks/endpoints')
export class EndpointController {
  constructor(
    private readonly endpoints: EndpointService,
    private readonly deliveries: DeliveryHistory,
  ) {}

  @ApiOperation({ summary: 'Create an endpoint; the signing secret in the response is shown this once.' })
  @ApiCreatedResponse({ type: CreatedWebhookEndpointView })
  @Post()
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateEndpointDto) {
    return this.endpoints.create(principal.orgId, body);
  }

  @ApiOperation({ summary: "The organisation's endpoints, oldest first." })
  @ApiOkResponse({ type: [WebhookEndpointView] })
  @Get()
  list(@CurrentPrincipal() principal: Principal) {
    return this.endpoints.list(principal.orgId);
  }

  @ApiOperation({ summary: 'One endpoint, with its health.' })
  @ApiOkResponse({ type: WebhookEndpointView })
  @Get(':id')
  get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.endpoints.get(principal.orgId, id);
  }

  @ApiOperation({ summary: 'Change an endpoint; a changed URL is checked like a new one.' })
  @ApiOkResponse({ type: WebhookEndpointView })
  @Patch(':id')
  update(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateEndpointDto) {
    return this.endpoints.update(principal.orgId, id, body);
  }

  @ApiOperation({ summary: 'Remove an endpoint; nothing more is sent to it.' })
  @Delete(':id')
  @HttpCode(204)
  async remove(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.endpoints.remove(principal.orgId, id);
  }

  @ApiOperation({ summary: 'A new signing secret, shown once; the old one keeps signing for 24 h.' })
  @ApiOkResponse({ type: RotatedSecretView })
  @Post(':id/rotate-secret')
  @HttpCode(200)
  rotate(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.endpoints.rotateSecret(principal.orgId, id);
  }

  @ApiOperation({ summary: 'Messages (one per event) sent or to be sent to this endpoint, newest first.' })
  @ApiOkResponse({ type: [DeliveryView] })
  @Get(':id/deliveries')
  deliveriesOf(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Query() query: ListDeliveriesQuery) {
    return this.deliveries.list(principal.orgId, id, { status: query.status, limit: query.limit ?? 50 });
  }

  @ApiOperation({ summary: 'Attempts (status, latency, error, first 20 KB of the response), newest first.' })
  @ApiOkResponse({ type: [AttemptView] })
  // A receiver that echoes its request would show the endpoint's secret headers here.
  @Get(':id/attempts')
  attemptsOf(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Query() query: ListAttemptsQuery) {
    return this.deliveries.attemptsOf(principal.orgId, id, { deliveryId: query.deliveryId, limit: query.limit ?? 50 });
  }

  @ApiOperation({ summary: "Changes of the endpoint's health (failing, disabled, recovered), newest first." })
  @ApiOkResponse({ type: [EndpointNoticeView] })
  @Get(':id/notices')
  noticesOf(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Query() query: ListNoticesQuery) {
    return this.deliveries.notices(principal.orgId, id, query.limit ?? 50);
  }

  @ApiOperation({ summary: 'Send one message again, with the same webhook-id.' })
  @ApiAcceptedResponse({ description: 'Queued again; no body.' })
  @Post(':id/deliveries/:deliveryId/resend')
  @HttpCode(202)
  async resend(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('deliveryId', ParseUUIDPipe) deliveryId: string,
  ): Promise<void> {
    await this.deliveries.resend(principal.orgId, id, deliveryId);
  }

  @ApiOperation({ summary: 'Re-queue every failed or pending message created since `since` (before `until`), oldest first.' })
  @ApiAcceptedResponse({ type: RecoveredView })
  @Post(':id/recover')
  @HttpCode(202)
  recover(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: RecoverDto) {
    return this.deliveries.recover(principal.orgId, id, body.since, body.until);
  }
}
