import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems, CurrentMerchant, PageQuery, Roles } from '@recourse/platform';
import { EndpointErrors } from '../endpoints/endpoints.errors';
import { DeliveryErrors } from './deliveries.errors';
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
  @ApiProblems(EndpointErrors.NotFound)
  list(@CurrentMerchant() merchantId: string, @Param('id') id: string, @Query() query: PageQuery) {
    return this.deliveries.attempts(merchantId, id, query);
  }

  @Post(':eventId/retry')
  @HttpCode(200)
  @ApiOkResponse({ type: DeliveryView })
  @ApiProblems(EndpointErrors.NotFound, DeliveryErrors.NotFound, DeliveryErrors.EndpointDisabled)
  retry(@CurrentMerchant() merchantId: string, @Param('id') id: string, @Param('eventId') eventId: string) {
    return this.deliveries.retryNow(merchantId, id, eventId);
  }
}
