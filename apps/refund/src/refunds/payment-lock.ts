import { EntityManager } from 'typeorm';
import { PaymentState } from './refund-rules';

/**
 * Locks the disputed payment's row for the rest of the transaction and reads what it has been refunded.
 * Every booking on a payment takes this lock first (then its refund's row), so two disputes on one payment
 * are checked one after the other and the refunded total can never pass the payment's amount. `seen` is
 * the payment as a decision describes it; the first one to arrive creates the row.
 */
export async function lockPayment(manager: EntityManager, paymentId: string, seen?: { amount: number; currency: string }): Promise<PaymentState> {
  if (seen) {
    await manager.query('INSERT INTO refund.payments (payment_id, amount, currency) VALUES ($1, $2, $3) ON CONFLICT (payment_id) DO NOTHING', [
      paymentId, seen.amount, seen.currency,
    ]);
  }
  const [payment]: Array<{ amount: string; currency: string }> = await manager.query(
    'SELECT amount, currency FROM refund.payments WHERE payment_id = $1 FOR UPDATE',
    [paymentId],
  );
  // Read after the lock: under READ COMMITTED this statement sees every booking committed before us.
  // What stands with customers: succeeded refunds and provisional credits still outstanding. A finalised
  // credit is counted through the refund that made it final; a reversed one or a failed booking moved nothing.
  const [{ total }]: Array<{ total: string }> = await manager.query(
    `SELECT COALESCE(SUM(amount), 0) AS total FROM refund.refunds WHERE payment_id = $1 AND status = 'succeeded'`,
    [paymentId],
  );
  // A payment's amount never changes; should two decisions disagree about it, the smaller cap is the safe one.
  const amount = Math.min(Number(payment.amount), seen?.amount ?? Number.MAX_SAFE_INTEGER);
  return { amount, currency: payment.currency.trim(), refundedTotal: Number(total) };
}
