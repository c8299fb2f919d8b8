import { DisputeSubmittedData, Locale } from '@recourse/contracts';
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

export async function storeDisputeCopy(manager: EntityManager, id: string, data: DisputeSubmittedData): Promise<void> {
  await manager.query(
    `INSERT INTO notification.disputes (id, payment_id, customer_id, merchant_id, reason, locale, amount, currency, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING`,
    [id, data.paymentId, data.customerId, data.merchantId, data.reason, data.locale, data.amount, data.currency, data.createdAt],
  );
}

/**
 * The copy, if dispute.submitted has arrived. Topics are not ordered against each other, so a decision or a
 * refund may come first: callers fall back on what their own event carries.
 */
export async function findDisputeCopy(manager: EntityManager, id: string): Promise<DisputeCopy | undefined> {
  const [row]: DisputeCopy[] = await manager.query(
    'SELECT id, payment_id, customer_id, merchant_id, locale, amount, currency FROM notification.disputes WHERE id = $1',
    [id],
  );
  return row;
}
