import { randomUUID } from 'node:crypto';
import { envelope, publishEvent, TopicRecorder, waitFor } from '@recourse/testing';

/** Publishes dispute.submitted as intake would and waits for triage to finish with it. */
export async function submitDispute(recorder: TopicRecorder, changes: { amount?: number; reason?: string; merchantId?: string; customerId?: string } = {}) {
  const disputeId = randomUUID();
  const customerId = changes.customerId ?? `c-${randomUUID()}`;
  const merchantId = changes.merchantId ?? `m-${randomUUID()}`;
  const amount = changes.amount ?? 250_000;
  const payment = {
    paymentId: `pay-${randomUUID()}`, customerId, merchantId, amount, currency: 'CNY', status: 'succeeded', debited: true, createdAt: new Date().toISOString(),
  };
  await publishEvent(envelope('dispute.submitted', disputeId, {
    paymentId: payment.paymentId, customerId, merchantId, reason: changes.reason ?? 'goods_not_received', description: 'never arrived', amount,
    currency: 'CNY', channel: 'app', locale: 'en', filedBy: { type: 'customer', id: customerId }, createdAt: new Date().toISOString(), payment,
  }));
  await waitFor(() => recorder.events('case.triaged', disputeId).length, `triage of ${disputeId}`);
  return { disputeId, customerId, merchantId, paymentId: payment.paymentId, amount };
}
