import { Injectable } from '@nestjs/common';
import { DisputeReason } from '@recourse/contracts';
import { TriagePayment } from '@recourse/domain';
import { Queryable } from '@recourse/platform';
import { MerchantCountersService } from '../merchant-counters/merchant-counters.service';
import { signalsOf, TriageSignals } from './triage-signals.rules';
import { TriageRepository } from './triage.repository';

/** What triage reads for one dispute on its own: what the triage-history test and bench measure. */
@Injectable()
export class TriageSignalsService {
  constructor(
    private readonly triage: TriageRepository,
    private readonly counters: MerchantCountersService,
  ) {}

  /**
   * One probe's signals as the current transaction sees them (its pending merchant counts included); the reason
   * matters to unrecognised charges only (their compelling evidence).
   */
  async signals(on: Queryable, caseId: string, payment: TriagePayment, now: Date, reason: DisputeReason = 'other'): Promise<TriageSignals> {
    const probe = { caseId, payment, filedAt: now, reason };
    const history = await this.triage.history(on, [probe]);
    const committed = history.merchants.get(payment.merchantId) ?? { payments: 0, disputes: 0 };
    const own = this.counters.pending(payment.merchantId);
    return signalsOf({
      probe, twins: history.twins[0], recentBefore: history.recent[0], earlierCases: [], succeeded: history.succeeded.get(payment.customerId) ?? [], prior: history.prior[0],
      merchant: { payments: committed.payments + own.payments, disputes: committed.disputes + own.disputes }, visible: () => true,
    });
  }
}
