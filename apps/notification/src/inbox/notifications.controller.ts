import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems, CurrentPrincipal, PageQuery, Principal, Roles } from '@recourse/platform';
import { NotificationPage, NotificationView } from './dto/notification.view';
import { NotificationErrors } from './notifications.errors';
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
  @ApiProblems(NotificationErrors.NotFound)
  read(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    return this.notifications.markRead(principal.sub, id);
  }
}
