import { TriagePayment } from '@recourse/domain';
import { EntityManager } from 'typeorm';
import { countForMerchant } from '../merchant-counters/merchant-counters.service';

/**
 * Copies payments once per payment id (the first of a list naming one twice), from `payment.recorded` or from
 * the disputes that name them, in one statement ordered by id (concurrent batches lock new ids in one order).
 * Answers the ids this statement inserted: a redelivery or the second source inserts nothing.
 */
export async function insertPayments(manager: EntityManager, payments: readonly TriagePayment[]): Promise<Set<string>> {
  // The first of a repeated id, as recording one at a time would keep.
  const first = new Map<string, TriagePayment>();
  for (const payment of payments) if (!first.has(payment.paymentId)) first.set(payment.paymentId, payment);
  const rows = [...first.values()];
  if (rows.length === 0) return new Set();
  const inserted: { id: string }[] = await manager.query(
    `INSERT INTO investigation.payments (id, customer_id, merchant_id, amount, currency, status, debited, created_at)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::text[], $7::boolean[], $8::timestamptz[])
     ORDER BY 1
     ON CONFLICT (id) DO NOTHING RETURNING id`,
    [
      rows.map((p) => p.paymentId), rows.map((p) => p.customerId), rows.map((p) => p.merchantId), rows.map((p) => p.amount),
      rows.map((p) => p.currency), rows.map((p) => p.status), rows.map((p) => p.debited), rows.map((p) => p.createdAt),
    ],
  );
  return new Set(inserted.map((row) => row.id));
}

/** Copies payments and counts each one new to this service once for its merchant, as copying them one at a time would. */
export async function recordPayments(manager: EntityManager, payments: readonly TriagePayment[]): Promise<void> {
  const inserted = await insertPayments(manager, payments);
  for (const payment of payments) if (inserted.delete(payment.paymentId)) countForMerchant(payment.merchantId, 'payments');
}

/** Copies one payment and counts it for its merchant only when the copy is new. */
export function recordPayment(manager: EntityManager, payment: TriagePayment): Promise<void> {
  return recordPayments(manager, [payment]);
}
