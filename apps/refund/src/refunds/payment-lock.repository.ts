import { Injectable } from '@nestjs/common';
import { Queryable, rows, sql, tables } from '@recourse/platform';
import { DB } from '../database/refund.tables';
import { PaymentState } from './refund.rules';

const db = tables<DB>();

/** refund.payments: one row per disputed payment, the lock every booking on that payment takes first. */
@Injectable()
export class PaymentLockRepository {
  /**
   * Locks the payments' rows for the rest of the transaction, in a stable order, and reads what each has
   * been refunded. Every booking on a payment takes this lock first (then its disputes' rows), so two
   * disputes on one payment are checked one after the other and the refunded total can never pass the
   * payment's amount; two runs sharing payments wait for each other in one order and cannot deadlock.
   * `create` are the payments as events describe them: the first to name one creates its row.
   */
  async lock(
    on: Queryable,
    paymentIds: readonly string[],
    create: ReadonlyArray<{ paymentId: string; amount: number; currency: string }> = [],
  ): Promise<Map<string, PaymentState>> {
    if (create.length > 0) {
      // In payment order too: two runs creating the same payments wait on each other's new rows in one order.
      create = [...create].sort((a, b) => (a.paymentId < b.paymentId ? -1 : a.paymentId > b.paymentId ? 1 : 0));
      await rows(on, sql`
        INSERT INTO refund.payments (payment_id, amount, currency)
        SELECT * FROM unnest(${create.map((payment) => payment.paymentId)}::text[], ${create.map((payment) => payment.amount)}::bigint[], ${create.map((payment) => payment.currency)}::text[])
        ON CONFLICT (payment_id) DO NOTHING`);
    }
    const payments = new Map<string, PaymentState>();
    if (paymentIds.length === 0) return payments;
    const locked = await rows(on, db.selectFrom('refund.payments').select(['payment_id', 'amount', 'currency'])
      .where('payment_id', '=', sql<string>`ANY(${paymentIds})`).orderBy('payment_id').forUpdate());
    if (locked.length === 0) return payments;
    // Read after the lock: under READ COMMITTED this statement sees every booking committed before us.
    // What stands with customers: succeeded refunds and provisional credits still outstanding. A finalised
    // credit is counted through the refund that made it final; a reversed one or a failed booking moved nothing.
    const totals = await rows(on, db.selectFrom('refund.refunds').select(['payment_id', sql<number>`SUM(amount)::bigint`.as('total')])
      .where('payment_id', '=', sql<string>`ANY(${locked.map((payment) => payment.payment_id)})`).where('status', '=', 'succeeded').groupBy('payment_id'));
    const totalOf = new Map(totals.map((row) => [row.payment_id, row.total]));
    for (const payment of locked) {
      payments.set(payment.payment_id, { amount: payment.amount, currency: payment.currency.trim(), refundedTotal: totalOf.get(payment.payment_id) ?? 0 });
    }
    return payments;
  }
}
