import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { DEFAULT_LOCALE, Locale } from '@recourse/contracts';
import { ApiProblems, CommonErrors, CurrentPrincipal, Principal, ProblemException, Roles } from '@recourse/platform';
import { PaymentPage, PaymentView } from './dto/payment.view';
import { PaymentErrors } from './payments.errors';
import { ListPaymentsQuery, PaymentQuery } from './dto/list-payments.query';
import { PaymentsService } from './payments.service';

@ApiTags('payments')
@ApiBearerAuth()
@Roles('customer', 'agent')
@Controller('v1/payments')
export class PaymentsController {
  constructor(private readonly payments: PaymentsService) {}

  @Get()
  @ApiOkResponse({ type: PaymentPage })
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListPaymentsQuery) {
    return this.payments.list(customerFor(principal, query.customerId), query, localeOf(principal, query.locale));
  }

  @Get(':id')
  @ApiOkResponse({ type: PaymentView })
  @ApiProblems(PaymentErrors.NotFound)
  get(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Query() query: PaymentQuery) {
    return this.payments.get(id, principal, localeOf(principal, query.locale));
  }
}

/** A customer sees their own payments; an agent names the caller whose payments they look up. */
function customerFor(principal: Principal, customerId: string | undefined): string {
  if (principal.roles.includes('agent')) {
    if (!customerId) {
      throw new ProblemException(CommonErrors.ValidationFailed, 'an agent names the caller', [
        { field: 'customerId', code: 'is_not_empty', message: 'customerId is required for agents' },
      ]);
    }
    return customerId;
  }
  return principal.sub;
}

export function localeOf(principal: Principal, requested?: Locale): Locale {
  return requested ?? principal.locale ?? DEFAULT_LOCALE;
}
