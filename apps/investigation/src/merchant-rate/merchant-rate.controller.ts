import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiProblems, csvAttachment, CurrentMerchant, Roles } from '@recourse/platform';
import { MERCHANT_RATE_CSV_COLUMNS, MerchantRatePage, MerchantRatesQuery, OwnMerchantRateView } from './dto/merchant-rate.view';
import { MerchantRateErrors } from './merchant-rate.errors';
import { CSV_MAX_MERCHANTS, MerchantRateService } from './merchant-rate.service';

/** Merchants' dispute rates (CONTRACT §11): the supervisors' report over any window, and each merchant's own. */
@ApiBearerAuth()
@Controller('v1')
export class MerchantRateController {
  constructor(private readonly rates: MerchantRateService) {}

  @Get('reports/merchants')
  @ApiTags('reports')
  @Roles('supervisor', 'admin')
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({
    type: MerchantRatePage,
    description: 'merchants with a payment or dispute in the window, highest rate first; with format=csv: text/csv (RFC 4180, CRLF; a text cell a '
      + `spreadsheet would run as a formula begins with '), a header row with the row fields' names and a line per merchant, at most ${CSV_MAX_MERCHANTS}`,
  })
  @ApiProblems(MerchantRateErrors.ReportTooLarge)
  async report(@Query() query: MerchantRatesQuery) {
    const window = query.window ?? 'P30D';
    if (query.format !== 'csv') return this.rates.report(window, query.limit ?? 20, query.cursor);
    const { asOf, data } = await this.rates.everyMerchant(window);
    // The window is an ISO 8601 duration by now (everyMerchant refuses anything else): safe in a header.
    return csvAttachment(`merchant-dispute-rates-${window.trim()}-${asOf.toISOString().slice(0, 10)}.csv`, MERCHANT_RATE_CSV_COLUMNS, data);
  }

  @Get('merchant/dispute-rate')
  @ApiTags('merchants')
  @Roles('merchant')
  @ApiOkResponse({ type: OwnMerchantRateView })
  own(@CurrentMerchant() merchantId: string) {
    return this.rates.own(merchantId);
  }
}
