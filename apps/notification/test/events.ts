import { randomUUID } from 'node:crypto';
import { EventEnvelope } from '@recourse/contracts';
import { envelope } from '@recourse/testing';

type Changes = Record<string, unknown>;

/** A dispute.submitted as intake writes it: ¥1,299.50, in English unless changed. */
export function disputeSubmitted(merchantId: string, customerId: string, changes: Changes = {}) {
  const paymentId = `pay-${randomUUID()}`;
  const createdAt = new Date().toISOString();
  const payment = { paymentId, customerId, merchantId, amount: 129_950, currency: 'CNY', status: 'succeeded', debited: true, createdAt };
  return envelope('dispute.submitted', randomUUID(), {
    paymentId, customerId, merchantId, reason: 'unrecognized_charge', description: 'not me', amount: 129_950, currency: 'CNY', channel: 'app',
    locale: 'en', filedBy: { type: 'customer', id: customerId }, createdAt, payment, ...changes,
  });
}

export function refundSucceeded(submitted: EventEnvelope<string, { merchantId: string; customerId: string }>, changes: Changes = {}) {
  return envelope('refund.succeeded', submitted.disputeId, {
    refundId: randomUUID(), kind: 'refund', amount: 129_950, currency: 'CNY', liability: 'merchant', customerId: submitted.data.customerId,
    merchantId: submitted.data.merchantId, paymentId: `pay-${submitted.disputeId}`, locale: 'zh-CN', refundedTotal: 129_950, disputedAmount: 129_950,
    outcome: 'refunded', ...changes,
  });
}

export function caseDecided(submitted: EventEnvelope<string, { merchantId: string; customerId: string; paymentId: string }>, outcome: 'approve' | 'reject') {
  return envelope('case.decided', submitted.disputeId, {
    outcome, refundAmount: outcome === 'approve' ? 129_950 : 0, currency: 'CNY', reasonCode: 'no_error_found', explanation: 'No evidence of error.',
    liability: 'merchant', decidedBy: { type: 'investigator', id: 'inv-1' }, customerId: submitted.data.customerId,
    merchantId: submitted.data.merchantId, paymentId: submitted.data.paymentId, paymentAmount: 129_950, disputedAmount: 129_950, locale: 'zh-CN',
  });
}

export function evidenceRequested(submitted: EventEnvelope<string, { merchantId: string; customerId: string; locale: string }>) {
  return envelope('case.merchant_evidence_requested', submitted.disputeId, {
    merchantId: submitted.data.merchantId, message: 'Send the delivery receipt.', dueBy: new Date(Date.now() + 7 * 86_400_000).toISOString(),
    customerId: submitted.data.customerId, locale: submitted.data.locale,
  });
}

/** The customer-visible events after a submission that are not decisions, as investigation, intake and refund write them. */
export function customerNews(submitted: EventEnvelope<string, { merchantId: string; customerId: string; paymentId: string }>, locale: string) {
  const { customerId, merchantId, paymentId } = submitted.data;
  const address = { customerId, locale };
  const credit = { refundId: randomUUID(), amount: 129_950, currency: 'CNY', customerId, merchantId, paymentId, locale };
  const dueAt = new Date().toISOString();
  return {
    infoRequested: envelope('case.customer_info_requested', submitted.disputeId, { ...address, message: 'Please send the order screenshot.' }),
    resolutionBreached: envelope('case.sla_breached', submitted.disputeId, { ...address, deadline: 'resolution', dueAt }),
    merchantBreached: envelope('case.sla_breached', submitted.disputeId, { ...address, deadline: 'merchant_response', dueAt }),
    creditIssued: envelope('provisional_credit.issued', submitted.disputeId, credit),
    creditReversed: envelope('provisional_credit.reversed', submitted.disputeId, credit),
    appealed: envelope('dispute.appealed', submitted.disputeId, { reason: 'I have the receipt.', ...address }),
    refundFailed: envelope('refund.failed', submitted.disputeId, {
      refundId: randomUUID(), kind: 'refund', customerId, merchantId, locale, code: 'ledger_unavailable', detail: 'ledger timed out', amount: 129_950, currency: 'CNY',
    }),
  };
}
