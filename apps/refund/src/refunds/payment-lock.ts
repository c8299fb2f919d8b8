import { EntityManager } from 'typeorm';
import { PaymentState } from './refund-rules';

/**
 * Locks the payments' rows for the rest of the transaction, in a stable order, and reads what each has
 * been refunded. Every booking on a payment takes this lock first (then its disputes' rows), so two
 * disputes on one payment are checked one after the other and the refunded total can never pass the
 * payment's amount; two runs sharing payments wait for each other in one order and cannot deadlock.
 * `create` are the payments as events describe them: the first to name one creates its row.
 */
export async function lockPayments(
  manager: EntityManager,
  paymentIds: readonly string[],
  create: ReadonlyArray<{ paymentId: string; amount: number; currency: string }> = [],
): Promise<Map<string, PaymentState>> {
  if (create.length > 0) {
    // In payment order too: two runs creating the same payments wait on each other's new rows in one order.
    create = [...create].sort((a, b) => (a.paymentId < b.paymentId ? -1 : a.paymentId > b.paymentId ? 1 : 0));
    await manager.query(
      `INSERT INTO refund.payments (payment_id, amount, currency) SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[])
       ON CONFLICT (payment_id) DO NOTHING`,
      [create.map((payment) => payment.paymentId), create.map((payment) => payment.amount), create.map((payment) => payment.currency)],
    );
  }
  const payments = new Map<string, PaymentState>();
  if (paymentIds.length === 0) return payments;
  const locked: Array<{ payment_id: string; amount: string; currency: string }> = await manager.query(
    'SELECT payment_id, amount, currency FROM refund.payments WHERE payment_id = ANY($1) ORDER BY payment_id FOR UPDATE',
    [paymentIds],
  );
  if (locked.length === 0) return payments;
  // Read after the lock: under READ COMMITTED this statement sees every booking committed before us.
  // What stands with customers: succeeded refunds and provisional credits still outstanding. A finalised
  // credit is counted through the refund that made it final; a reversed one or a failed booking moved nothing.
  const totals: Array<{ payment_id: string; total: string }> = await manager.query(
    `SELECT payment_id, SUM(amount) AS total FROM refund.refunds WHERE payment_id = ANY($1) AND status = 'succeeded' GROUP BY payment_id`,
    [locked.map((payment) => payment.payment_id)],
  );
  const totalOf = new Map(totals.map((row) => [row.payment_id, Number(row.total)]));
  for (const payment of locked) {
    payments.set(payment.payment_id, { amount: Number(payment.amount), currency: payment.currency.trim(), refundedTotal: totalOf.get(payment.payment_id) ?? 0 });
  }
  return payments;
}
