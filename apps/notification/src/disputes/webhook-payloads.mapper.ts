import { CaseDecidedData, CaseMerchantEvidenceRequestedData, CaseOfferAnsweredData, CaseResolvedData, CaseRuledData, DisputeSubmittedData, OfferKind, RefundSucceededData } from '@recourse/contracts';

/** `data` of the `dispute.created` webhook. */
export interface DisputeCreatedWebhook {
  disputeId: string;
  paymentId: string;
  reason: string;
  amount: number;
  currency: string;
  createdAt: string;
}

/** `data` of the `dispute.resolved` webhook (CONTRACT §7: the outcome, with amounts). */
export interface DisputeResolvedWebhook {
  disputeId: string;
  paymentId: string | null;
  outcome: 'customer_refunded' | 'partially_refunded' | 'rejected' | 'resolved_by_merchant';
  disputedAmount: number;
  refundedAmount: number;
  currency: string;
  resolvedAt: string;
  /** The merchant's own resolution rule refunded it (CONTRACT §10 prevention); absent otherwise. */
  prevented?: true;
}

/** `data` of the `dispute.offer_accepted` and `dispute.offer_declined` webhooks (CONTRACT §10): the answer investigation applied. */
export interface OfferAnsweredWebhook {
  disputeId: string;
  paymentId: string;
  offerId: string;
  kind: OfferKind;
  /** Minor units; null for a replacement or a return. */
  amount: number | null;
  currency: string;
  answeredAt: string;
}

/** `data` of the `dispute.evidence_requested` webhook: what the investigator asks for, and by when. */
export interface EvidenceRequestedWebhook {
  disputeId: string;
  paymentId: string | null;
  message: string;
  dueBy: string;
}

/** `data` of the `dispute.withdrawn` webhook. */
export interface DisputeWithdrawnWebhook {
  disputeId: string;
  paymentId: string;
  withdrawnAt: string;
}

export function disputeCreated(disputeId: string, data: DisputeSubmittedData): DisputeCreatedWebhook {
  return { disputeId, paymentId: data.paymentId, reason: data.reason, amount: data.amount, currency: data.currency, createdAt: data.createdAt };
}

export function disputeRejected(disputeId: string, data: CaseDecidedData, resolvedAt: string): DisputeResolvedWebhook {
  return {
    disputeId, paymentId: data.paymentId, outcome: 'rejected', disputedAmount: data.disputedAmount, refundedAmount: 0,
    currency: data.currency, resolvedAt,
  };
}

/** `refundedTotal` is what the dispute has been refunded in all, not just this booking. */
export function disputeRefunded(disputeId: string, paymentId: string | null, data: RefundSucceededData, resolvedAt: string): DisputeResolvedWebhook {
  return {
    disputeId, paymentId, outcome: data.outcome === 'partially_refunded' ? 'partially_refunded' : 'customer_refunded',
    disputedAmount: data.disputedAmount, refundedAmount: data.refundedTotal, currency: data.currency, resolvedAt,
    ...(data.prevented ? { prevented: true as const } : {}),
  };
}

export function evidenceRequested(disputeId: string, paymentId: string | null, data: CaseMerchantEvidenceRequestedData): EvidenceRequestedWebhook {
  return { disputeId, paymentId, message: data.message, dueBy: data.dueBy };
}

export function disputeWithdrawn(disputeId: string, paymentId: string, withdrawnAt: string): DisputeWithdrawnWebhook {
  return { disputeId, paymentId, withdrawnAt };
}

export function offerAnswered(disputeId: string, data: CaseOfferAnsweredData, answeredAt: string): OfferAnsweredWebhook {
  return { disputeId, paymentId: data.paymentId, offerId: data.offerId, kind: data.kind, amount: data.amount, currency: data.currency, answeredAt };
}

/** The customer accepted a replacement or a return: resolved, nothing refunded. */
export function disputeResolvedByMerchant(disputeId: string, data: CaseResolvedData, resolvedAt: string): DisputeResolvedWebhook & { offerId: string } {
  return {
    disputeId, paymentId: data.paymentId, outcome: 'resolved_by_merchant', disputedAmount: data.disputedAmount, refundedAmount: 0,
    currency: data.currency, resolvedAt, offerId: data.offerId,
  };
}

/**
 * `data` of the `dispute.appeal_ruled` webhook (CONTRACT §10): the ruling on the merchant's appeal, with the
 * amounts. `reversedAmount` is what the platform pays the merchant back (0 when upheld); the customer keeps the refund.
 */
export interface AppealRuledWebhook {
  disputeId: string;
  paymentId: string;
  ruling: 'uphold' | 'reverse';
  explanation: string;
  refundedAmount: number;
  merchantAmount: number;
  reversedAmount: number;
  currency: string;
  ruledAt: string;
}

export function appealRuled(disputeId: string, data: CaseRuledData, ruledAt: string): AppealRuledWebhook {
  return {
    disputeId, paymentId: data.paymentId, ruling: data.ruling, explanation: data.explanation, refundedAmount: data.refundAmount,
    merchantAmount: data.merchantAmount, reversedAmount: data.ruling === 'reverse' ? data.merchantAmount : 0, currency: data.currency, ruledAt,
  };
}
