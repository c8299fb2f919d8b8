import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, PageQuery, Principal, Roles } from '@recourse/platform';
import { NotificationPage, NotificationView } from './dto/notification.view';
import { NotificationsService } from './notifications.service';

@ApiTags('notifications')
@ApiBearerAuth()
@Roles('customer')
@Controller('v1/notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @ApiOkResponse({ type: NotificationPage })
  list(@CurrentPrincipal() principal: Principal, @Query() query: PageQuery) {
    return this.notifications.list(principal.sub, query);
  }

  @Post(':id/read')
  @HttpCode(200)
  @ApiOkResponse({ type: NotificationView })
  read(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    return this.notifications.markRead(principal.sub, id);
  }
}
