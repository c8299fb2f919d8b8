import { Injectable } from '@nestjs/common';
import { TriagePayment } from '@recourse/domain';
import { Queryable } from '@recourse/platform';
import { MerchantCountersService } from '../merchant-counters/merchant-counters.service';
import { PaymentsRepository } from './payments.repository';

@Injectable()
export class PaymentsService {
  constructor(
    private readonly payments: PaymentsRepository,
    private readonly counters: MerchantCountersService,
  ) {}

  /** Copies payments and counts each one new to this service once for its merchant, as copying them one at a time would. */
  async record(on: Queryable, payments: readonly TriagePayment[]): Promise<void> {
    const inserted = await this.payments.insert(on, payments);
    for (const payment of payments) {
      if (inserted.delete(payment.paymentId)) this.counters.count({ merchantId: payment.merchantId, what: 'payments', at: new Date(payment.createdAt) });
    }
  }
}
