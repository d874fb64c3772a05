import { Body, Controller, Delete, Get, HttpCode, Inject, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow, CurrentPrincipal, everyone, type Principal } from '@taskinbox/auth';
import { CONFIG, type Config } from '@taskinbox/config';
import { personOf } from '../notifications.person';
import { PushEndpointQuery, PushKeyView, PushSubscriptionDto, PushSubscriptionView } from './push-subscription.dto';
import { PushSubscriptions } from './push.subscriptions';

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('api/notifications/push')
export class PushSubscriptionController {
  constructor(
    private readonly subscriptions: PushSubscriptions,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  @ApiOperation({ summary: "The server's public key for browser push" })
  @ApiOkResponse({ type: PushKeyView })
  @Allow({ roles: everyone })
  @Get('key')
  key(): PushKeyView {
    return { publicKey: this.config.notifications.vapid?.publicKey ?? null };
  }

  @ApiOperation({ summary: 'Turn on push notifications in this browser' })
  @ApiCreatedResponse({ type: PushSubscriptionView, description: "Registers this browser's push subscription for the caller." })
  @Allow({ roles: everyone })
  @Post('subscriptions')
  subscribe(@CurrentPrincipal() principal: Principal, @Body() body: PushSubscriptionDto): Promise<PushSubscriptionView> {
    return this.subscriptions.register(personOf(principal), body);
  }

  @ApiOperation({ summary: 'Turn off push notifications in a browser' })
  @ApiNoContentResponse({ description: "Removes one of the caller's push subscriptions." })
  @Allow({ roles: everyone })
  @Delete('subscriptions')
  @HttpCode(204)
  async unsubscribe(@CurrentPrincipal() principal: Principal, @Query() query: PushEndpointQuery): Promise<void> {
    await this.subscriptions.unregister(personOf(principal), query.endpoint);
  }
}
