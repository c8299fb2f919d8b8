import { Injectable, Logger } from '@nestjs/common';
import { Event } from '@recourse/contracts';
import { EventBatchOf, Outbox } from '@recourse/platform';
import { EntityManager } from 'typeorm';
import { LedgerService } from '../ledger/ledger.service';
import { LiabilityReversalRow, LiabilityReversalsRepository } from './liability-reversals.repository';
import { reversalStep } from './liability-reversal.rules';
import { PaymentLockRepository } from './payment-lock.repository';
import { liabilityReversed, REFUND_ACTOR } from './refund-events.mapper';
import { RefundDraft, RefundsRepository } from './refunds.repository';

/**
 * A ruling that reverses the merchant's liability (CONTRACT §10): `platform:disputes` pays the merchant back
 * what it was debited for the refund, in one balanced transaction, exactly once (the reversal row's key and a
 * unique index on its ledger transaction, besides the inbox), and `refund.liability_reversed` says so. `uphold`
 * books nothing. Rulings are rare, so a run is applied event by event.
 */
@Injectable()
export class LiabilityReversalService {
  private readonly logger = new Logger(LiabilityReversalService.name);

  constructor(
    private readonly payments: PaymentLockRepository,
    private readonly refunds: RefundsRepository,
    private readonly reversals: LiabilityReversalsRepository,
    private readonly ledger: LedgerService,
    private readonly outbox: Outbox,
  ) {}

  async rule({ events, manager }: EventBatchOf<'case.ruled'>): Promise<void> {
    for (const event of events) await this.applyRuling(manager, event);
  }

  /**
   * After a booking, in its transaction (which holds the payments' and refunds' locks): reversals of these
   * disputes that were waiting for the merchant's debit are booked now that it exists.
   */
  async settlePending(manager: EntityManager, disputeIds: readonly string[]): Promise<void> {
    const pending = await this.reversals.pendingOf(manager, disputeIds);
    if (pending.length === 0) return;
    const refunds = await this.refunds.lockRowsOf(manager, pending.map((reversal) => reversal.dispute_id));
    for (const reversal of pending) await this.settle(manager, reversal, refundOf(refunds, reversal.dispute_id));
  }

  private async applyRuling(manager: EntityManager, event: Event<'case.ruled'>): Promise<void> {
    const { data, disputeId } = event;
    const context = { disputeId, eventId: event.id, correlationId: event.correlationId };
    if (!disputeId) throw new Error(`case.ruled ${event.id} names no dispute`);
    if (data.ruling !== 'reverse') return this.logger.log(context, 'ruling upheld the merchant’s liability; nothing to book');
    // The lock order of every booking: the payment, then the dispute's rows.
    await this.payments.lock(manager, [data.paymentId]);
    const refunds = await this.refunds.lockRowsOf(manager, [disputeId]);
    const reversal = await this.reversals.record(manager, {
      dispute_id: disputeId, payment_id: data.paymentId, customer_id: data.customerId, merchant_id: data.merchantId, amount: data.merchantAmount,
      currency: data.currency, locale: data.locale, cause_event_id: event.id, correlation_id: event.correlationId,
    });
    if (!reversal) return this.logger.log(context, 'the dispute’s liability reversal is already recorded; nothing booked');
    await this.settle(manager, reversal, refundOf(refunds, disputeId));
  }

  private async settle(manager: EntityManager, reversal: LiabilityReversalRow, refund: RefundDraft | undefined): Promise<void> {
    const step = reversalStep(refund);
    const context = { disputeId: reversal.dispute_id, correlationId: reversal.correlation_id, refundId: refund?.id };
    if (step.kind === 'pending') return this.logger.warn({ ...context, reason: step.reason }, 'liability reversal pending');
    if (step.kind === 'void') {
      await this.reversals.settle(manager, reversal.dispute_id, { status: 'void', refundId: step.refundId, amount: 0 });
      return this.logger.warn({ ...context, reason: step.reason }, 'liability reversal has nothing to move');
    }
    await this.ledger.record(manager, step.refundId, 'liability_reversal', step.postings);
    await this.reversals.settle(manager, reversal.dispute_id, { status: 'booked', refundId: step.refundId, amount: step.amount });
    await this.outbox.append(manager, [liabilityReversed(refund!, step.amount, { correlationId: reversal.correlation_id, causationId: reversal.cause_event_id }, REFUND_ACTOR)]);
    this.logger.log({ ...context, amount: step.amount }, 'liability reversed: the platform paid the merchant back');
  }
}

function refundOf(rows: readonly RefundDraft[], disputeId: string): RefundDraft | undefined {
  return rows.find((row) => row.dispute_id === disputeId && row.kind === 'refund');
}
