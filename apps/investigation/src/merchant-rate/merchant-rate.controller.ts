import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentMerchant, Roles } from '@recourse/platform';
import { MerchantRatePage, MerchantRatesQuery, OwnMerchantRateView } from './dto/merchant-rate.view';
import { MerchantRateService } from './merchant-rate.service';

/** Merchants' dispute rates (CONTRACT §11): the supervisors' report over any window, and each merchant's own. */
@ApiBearerAuth()
@Controller('v1')
export class MerchantRateController {
  constructor(private readonly rates: MerchantRateService) {}

  @Get('reports/merchants')
  @ApiTags('reports')
  @Roles('supervisor', 'admin')
  @ApiOkResponse({ type: MerchantRatePage, description: 'merchants with a payment or dispute in the window, highest rate first' })
  report(@Query() query: MerchantRatesQuery) {
    return this.rates.report(query.window ?? 'P30D', query.limit ?? 20, query.cursor);
  }

  @Get('merchant/dispute-rate')
  @ApiTags('merchants')
  @Roles('merchant')
  @ApiOkResponse({ type: OwnMerchantRateView })
  own(@CurrentMerchant() merchantId: string) {
    return this.rates.own(merchantId);
  }
}
