import { Injectable } from '@nestjs/common';
import { TriagePayment } from '@recourse/domain';
import { Queryable, rows, sql } from '@recourse/platform';

/** Investigation's own copy of the wallet's payments (investigation.payments). */
@Injectable()
export class PaymentsRepository {
  /**
   * Copies payments once per payment id (the first of a list naming one twice), from `payment.recorded` or from
   * the disputes that name them, in one statement ordered by id (concurrent batches lock new ids in one order).
   * Answers the ids this statement inserted: a redelivery or the second source inserts nothing.
   */
  async insert(on: Queryable, payments: readonly TriagePayment[]): Promise<Set<string>> {
    // The first of a repeated id, as recording one at a time would keep.
    const first = new Map<string, TriagePayment>();
    for (const payment of payments) if (!first.has(payment.paymentId)) first.set(payment.paymentId, payment);
    const list = [...first.values()];
    if (list.length === 0) return new Set();
    const inserted = await rows<{ id: string }>(on, sql`
      INSERT INTO investigation.payments (id, customer_id, merchant_id, amount, currency, status, debited, created_at, device_id, device_ip)
      SELECT * FROM unnest(${list.map((p) => p.paymentId)}::text[], ${list.map((p) => p.customerId)}::text[], ${list.map((p) => p.merchantId)}::text[],
                           ${list.map((p) => p.amount)}::bigint[], ${list.map((p) => p.currency)}::text[], ${list.map((p) => p.status)}::text[],
                           ${list.map((p) => p.debited)}::boolean[], ${list.map((p) => p.createdAt)}::timestamptz[],
                           ${list.map((p) => p.device?.id ?? null)}::text[], ${list.map((p) => p.device?.ip ?? null)}::text[])
      ORDER BY 1
      ON CONFLICT (id) DO NOTHING RETURNING id`);
    return new Set(inserted.map((row) => row.id));
  }
}
