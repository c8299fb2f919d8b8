import { TriagePayment } from '@recourse/domain';
import { EntityManager } from 'typeorm';
import { countForMerchant } from '../triage/merchant-counters';

/**
 * Copies a payment once per payment id, from `payment.recorded` or from the dispute that names it, and
 * counts it for its merchant only when the copy is new: a redelivery or the second source counts nothing.
 */
export async function recordPayment(manager: EntityManager, payment: TriagePayment): Promise<void> {
  const inserted: unknown[] = await manager.query(
    `INSERT INTO investigation.payments (id, customer_id, merchant_id, amount, currency, status, debited, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING RETURNING 1`,
    [payment.paymentId, payment.customerId, payment.merchantId, payment.amount, payment.currency, payment.status, payment.debited, payment.createdAt],
  );
  if (inserted.length > 0) countForMerchant(payment.merchantId, 'payments');
}
