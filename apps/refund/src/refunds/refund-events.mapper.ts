import { Actor, Event, RefundSucceededData } from '@recourse/contracts';
import { largerLeg } from '@recourse/domain';
import { newEvent } from '@recourse/platform';
import type { RefundDraft } from './refunds.repository';

export const REFUND_ACTOR: Actor = { type: 'system', id: 'refund' };

/** Where a booking sits in its dispute's causal tree (STYLE habit 2). */
export interface Causation {
  correlationId: string;
  causationId: string;
}

/** A retry or a later step completes the decision that created the row, so its events join that tree. */
export function causationOf(row: RefundDraft): Causation {
  return { correlationId: row.correlation_id, causationId: row.cause_event_id };
}

export function refundSucceeded(refund: RefundDraft, causation: Causation, actor: Actor): Event<'refund.succeeded'> {
  const amount = refund.amount;
  const disputedAmount = refund.disputed_amount;
  // One refund per dispute (the unique constraint), so what the dispute has been refunded is this refund;
  // a provisional credit it made final is part of it, not in addition to it.
  const refundedTotal = amount;
  return newEvent('refund.succeeded', {
    disputeId: refund.dispute_id,
    actor,
    ...causation,
    data: {
      refundId: refund.id, kind: 'refund', amount, currency: refund.currency.trim(), ...liabilityOf(refund), customerId: refund.customer_id,
      merchantId: refund.merchant_id, paymentId: refund.payment_id, locale: refund.locale, refundedTotal, disputedAmount,
      outcome: refundOutcome(refundedTotal, disputedAmount), ...(refund.prevented ? { prevented: true } : {}),
    },
  });
}

/** `split` is refund's own word: the event names the larger leg as `liability` and carries the legs beside it. */
function liabilityOf(refund: RefundDraft): Pick<RefundSucceededData, 'liability' | 'liabilitySplit'> {
  if (refund.liability !== 'split') return { liability: refund.liability };
  const liabilitySplit = { merchant: refund.split_merchant ?? 0, platform: refund.split_platform ?? 0 };
  return { liability: largerLeg(liabilitySplit), liabilitySplit };
}

export function refundFailed(refund: RefundDraft, causation: Causation): Event<'refund.failed'> {
  return newEvent('refund.failed', {
    disputeId: refund.dispute_id,
    actor: REFUND_ACTOR,
    ...causation,
    data: {
      refundId: refund.id, kind: refund.kind, customerId: refund.customer_id, merchantId: refund.merchant_id, locale: refund.locale,
      code: refund.failure_code!, detail: refund.failure_detail ?? '', amount: refund.amount, currency: refund.currency.trim(),
    },
  });
}

export function provisionalCreditEvent(
  type: 'provisional_credit.issued' | 'provisional_credit.reversed',
  credit: RefundDraft,
  causation: Causation,
  actor: Actor,
): Event<typeof type> {
  return newEvent(type, {
    disputeId: credit.dispute_id,
    actor,
    ...causation,
    data: {
      refundId: credit.id, amount: credit.amount, currency: credit.currency.trim(), customerId: credit.customer_id,
      merchantId: credit.merchant_id, paymentId: credit.payment_id, locale: credit.locale,
    },
  });
}

/** How the dispute ends for the customer once its refund is booked. */
export function refundOutcome(refundedTotal: number, disputedAmount: number): 'refunded' | 'partially_refunded' {
  return refundedTotal >= disputedAmount ? 'refunded' : 'partially_refunded';
}

/** The platform paid the merchant back its share of the refund (a ruling reversed its liability, CONTRACT §10). */
export function liabilityReversed(refund: RefundDraft, amount: number, causation: Causation, actor: Actor): Event<'refund.liability_reversed'> {
  return newEvent('refund.liability_reversed', {
    disputeId: refund.dispute_id,
    actor,
    ...causation,
    data: {
      refundId: refund.id, amount, currency: refund.currency.trim(), customerId: refund.customer_id, merchantId: refund.merchant_id,
      paymentId: refund.payment_id, locale: refund.locale,
    },
  });
}
