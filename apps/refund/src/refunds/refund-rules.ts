import { RefundFailure, RefundFailureCode } from './refunds.errors';

export interface RefundRequest {
  amount: number;
  disputedAmount: number;
  currency: string;
}

/** The disputed payment as refund knows it, read under its row lock. */
export interface PaymentState {
  amount: number;
  currency: string;
  /** What stands refunded on the payment: succeeded refunds and outstanding provisional credits. */
  refundedTotal: number;
}

export type RefundCheck = { ok: true } | { ok: false; code: RefundFailureCode; detail: string };

/**
 * Whether a refund may be booked. The payment cap is the contract's invariant (CONTRACT §6: the refunded
 * total for a payment never exceeds its amount); the others refuse decisions that no ledger can carry.
 */
export function checkRefund(request: RefundRequest, payment: PaymentState): RefundCheck {
  if (!Number.isSafeInteger(request.amount) || request.amount < 1) {
    return { ok: false, code: RefundFailure.InvalidAmount, detail: `refund amount ${request.amount} is not a positive integer in minor units` };
  }
  if (request.amount > request.disputedAmount) {
    return { ok: false, code: RefundFailure.InvalidAmount, detail: `refund amount ${request.amount} exceeds the disputed amount ${request.disputedAmount}` };
  }
  if (request.currency !== payment.currency) {
    return { ok: false, code: RefundFailure.CurrencyMismatch, detail: `refund in ${request.currency} for a payment in ${payment.currency}` };
  }
  const after = payment.refundedTotal + request.amount;
  if (after > payment.amount) {
    return {
      ok: false,
      code: RefundFailure.PaymentOverRefunded,
      detail: `payment ${payment.amount} already refunded ${payment.refundedTotal}; ${request.amount} more would exceed it`,
    };
  }
  return { ok: true };
}

/** How the dispute ends for the customer once its refund is booked. */
export function refundOutcome(refundedTotal: number, disputedAmount: number): 'refunded' | 'partially_refunded' {
  return refundedTotal >= disputedAmount ? 'refunded' : 'partially_refunded';
}
