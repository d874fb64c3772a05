import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow, CurrentPrincipal, everyone, type Principal } from '@taskinbox/auth';
import { personOf } from '../notifications.person';
import { NotificationListQuery, NotificationListView, NotificationView } from './notification.dto';
import { NotificationInbox } from './notification.service';

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('api/notifications')
export class NotificationController {
  constructor(private readonly inbox: NotificationInbox) {}

  @ApiOperation({ summary: 'Your notifications, newest first, with the unread count' })
  @ApiOkResponse({ type: NotificationListView, description: "The caller's notifications here, newest first, and how many are unread." })
  @Allow({ roles: everyone })
  @Get()
  list(@CurrentPrincipal() principal: Principal, @Query() query: NotificationListQuery): Promise<NotificationListView> {
    return this.inbox.list(principal.orgId, personOf(principal), query.unread ?? false);
  }

  @ApiOperation({ summary: 'Mark all your notifications read' })
  @ApiNoContentResponse({ description: 'Every notification here is read.' })
  @Allow({ roles: everyone })
  @Post('read')
  @HttpCode(204)
  async readAll(@CurrentPrincipal() principal: Principal): Promise<void> {
    await this.inbox.markAllRead(principal.orgId, personOf(principal));
  }

  @ApiOperation({ summary: 'Mark one notification read' })
  @ApiOkResponse({ type: NotificationView })
  @Allow({ roles: everyone })
  @Post(':id/read')
  @HttpCode(200)
  read(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<NotificationView> {
    return this.inbox.markRead(principal.orgId, personOf(principal), id);
  }
}
