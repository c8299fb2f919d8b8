import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { PageQuery, Roles } from '@recourse/platform';
import { CurrentMerchant } from '../endpoints/current-merchant';
import { DeliveriesService } from './deliveries.service';
import { DeliveryAttemptPage, DeliveryView } from './dto/delivery.view';

@ApiTags('webhook endpoints')
@ApiBearerAuth()
@Roles('merchant')
@Controller('v1/webhook-endpoints/:id/deliveries')
export class DeliveriesController {
  constructor(private readonly deliveries: DeliveriesService) {}

  @Get()
  @ApiOkResponse({ type: DeliveryAttemptPage })
  list(@CurrentMerchant() merchantId: string, @Param('id') id: string, @Query() query: PageQuery) {
    return this.deliveries.attempts(merchantId, id, query);
  }

  @Post(':eventId/retry')
  @HttpCode(200)
  @ApiOkResponse({ type: DeliveryView })
  retry(@CurrentMerchant() merchantId: string, @Param('id') id: string, @Param('eventId') eventId: string) {
    return this.deliveries.retryNow(merchantId, id, eventId);
  }
}
