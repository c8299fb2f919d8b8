import { Locale } from '@recourse/contracts';
import { EntityManager } from 'typeorm';

/** notification.disputes: what dispute.submitted said, so later events can be addressed and worded. */
export interface DisputeCopy {
  id: string;
  payment_id: string;
  customer_id: string;
  merchant_id: string;
  locale: Locale;
  /** Minor units, as node-postgres returns a bigint. */
  amount: string;
  currency: string;
}

/** A copy as stored, with what only the row keeps. */
export interface NewDisputeCopy extends DisputeCopy {
  reason: string;
  created_at: string;
}

/** Stores the copies with one statement; a copy already stored is kept (a dispute is submitted once). */
export async function storeDisputeCopies(manager: EntityManager, copies: readonly NewDisputeCopy[]): Promise<void> {
  if (copies.length === 0) return;
  const column = <K extends keyof NewDisputeCopy>(key: K) => copies.map((copy) => copy[key]);
  await manager.query(
    `INSERT INTO notification.disputes (id, payment_id, customer_id, merchant_id, reason, locale, amount, currency, created_at)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::text[], $9::timestamptz[])
     ON CONFLICT (id) DO NOTHING`,
    [column('id'), column('payment_id'), column('customer_id'), column('merchant_id'), column('reason'), column('locale'), column('amount'),
      column('currency'), column('created_at')],
  );
}

/**
 * The copies of `ids` that dispute.submitted has brought, by id. Topics are not ordered against each other,
 * so a decision or a refund may come first: callers fall back on what their own event carries.
 */
export async function findDisputeCopies(manager: EntityManager, ids: readonly string[]): Promise<Map<string, DisputeCopy>> {
  if (ids.length === 0) return new Map();
  const rows: DisputeCopy[] = await manager.query(
    'SELECT id, payment_id, customer_id, merchant_id, locale, amount, currency FROM notification.disputes WHERE id = ANY($1)',
    [ids],
  );
  return new Map(rows.map((row) => [row.id, row]));
}
