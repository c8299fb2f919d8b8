import { Injectable } from '@nestjs/common';
import { Locale } from '@recourse/contracts';
import { CommonErrors, decodeCursor, Page, Principal, ProblemException, toPage } from '@recourse/platform';
import { ListPaymentsQuery, parseDayOrInstant } from './dto/list-payments.query';
import { PaymentView } from './dto/payment.view';
import { toPaymentView } from './payment.mapper';
import { PaymentErrors } from './payments.errors';
import { PaymentsRepository } from './payments.repository';

@Injectable()
export class PaymentsService {
  constructor(private readonly payments: PaymentsRepository) {}

  /** The customer's payments, newest first, narrowed by every filter the query gives. */
  async list(customerId: string, query: ListPaymentsQuery, locale: Locale): Promise<Page<PaymentView>> {
    const limit = query.limit ?? 20;
    const after = decodeCursor(query.cursor);
    const rows = await this.payments.search({
      customerId, paymentIdPrefix: query.paymentId ?? null, amount: query.amount ?? null, counterparty: query.counterparty ?? null,
      ...timeRange(query), after: after ?? null, limit: limit + 1,
    });
    return toPage(rows, limit, (row) => ({ at: row.created_at, id: row.id }), (row) => toPaymentView(row, locale));
  }

  /** One payment the caller may see: a customer only their own, an agent anyone's. */
  async get(id: string, principal: Principal, locale: Locale): Promise<PaymentView> {
    const row = await this.payments.find(id);
    const visible = row && (principal.roles.includes('agent') || row.customer_id === principal.sub);
    if (!visible) throw new ProblemException(PaymentErrors.NotFound);
    return toPaymentView(row, locale);
  }
}

/** The query's time range as instants; a range that ends before it starts is refused, not answered empty. */
function timeRange(query: ListPaymentsQuery): { from: Date | null; to: Date | null } {
  const from = query.from ? parseDayOrInstant(query.from) : null;
  const to = query.to ? parseDayOrInstant(query.to, true) : null;
  if (from && to && from > to) {
    throw new ProblemException(CommonErrors.ValidationFailed, 'to must not be before from', [{ field: 'to', code: 'not_before_from', message: 'to must not be before from' }]);
  }
  return { from, to };
}
