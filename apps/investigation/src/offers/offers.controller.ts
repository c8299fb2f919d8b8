import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { ApiIdempotencyKey, ApiProblems, CurrentMerchant, Roles } from '@recourse/platform';
import { CaseErrors } from '../cases/cases.errors';
import { MakeOfferDto } from './dto/offer.dto';
import { OfferView } from './dto/offer.view';
import { OfferErrors } from './offers.errors';
import { OffersService } from './offers.service';

@ApiTags('merchants')
@ApiBearerAuth()
@Roles('merchant')
@Controller('v1/merchant/disputes')
export class OffersController {
  constructor(private readonly offers: OffersService) {}

  /** One open offer at a time, before a decision; it expires after SLA_OFFER_RESPONSE. */
  @Post(':id/offers')
  @HttpCode(201)
  @ApiIdempotencyKey()
  @ApiCreatedResponse({ type: OfferView, description: 'the open offer' })
  @ApiProblems(CaseErrors.NotFound, CaseErrors.InvalidTransition, OfferErrors.AlreadyOpen)
  make(@CurrentMerchant() merchantId: string, @Param('id') id: string, @Body() body: MakeOfferDto) {
    return this.offers.make(merchantId, id, body);
  }
}
