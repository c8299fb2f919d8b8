import { randomUUID } from 'node:crypto';

/**
 * A `payment.recorded` message for wallet.payments.v1 (CONTRACT §8), keyed by payment id, as the wallet core
 * writes it. `payment`: customerId, merchantId, amount, and optionally paymentId, merchantName, currency,
 * status, debited, failureReason, createdAt (a Date).
 */
export function paymentRecorded({ paymentId = `pay_${randomUUID().replace(/-/g, '')}`, currency = 'CNY', status = 'succeeded', debited, failureReason, createdAt = new Date(), merchantName, ...payment }) {
  const id = randomUUID();
  const data = {
    paymentId,
    customerId: payment.customerId,
    merchantId: payment.merchantId,
    ...(merchantName ? { merchantName } : {}),
    amount: payment.amount,
    currency,
    status,
    debited: status === 'succeeded' ? true : Boolean(debited),
    ...(status === 'failed' ? { failureReason: failureReason ?? 'other' } : {}),
    createdAt: createdAt.toISOString(),
  };
  const event = { id, type: 'payment.recorded', version: 1, occurredAt: new Date().toISOString(), disputeId: null, correlationId: id, causationId: null, actor: { type: 'system', id: 'wallet-core' }, data };
  return { paymentId, message: { key: paymentId, value: JSON.stringify(event) } };
}
