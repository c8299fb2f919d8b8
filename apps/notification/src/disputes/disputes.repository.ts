import { Injectable } from '@nestjs/common';
import { Insertable, Queryable, RawBuilder, rows, Selectable, sql, tables } from '@recourse/platform';
import { DB, NotificationDisputes } from '../database/notification.tables';

/** notification.disputes: what dispute.submitted said, so later events can be addressed and worded. */
export type DisputeCopy = Pick<Selectable<NotificationDisputes>, 'id' | 'payment_id' | 'customer_id' | 'merchant_id' | 'locale' | 'amount' | 'currency'>;

/** A copy as stored, with what only the row keeps. */
export type NewDisputeCopy = DisputeCopy & Pick<Insertable<NotificationDisputes>, 'reason' | 'created_at'>;

const db = tables<DB>();

/** The copies of the disputes notification heard of, read and written in the caller's (the consumer batch's) transaction. */
@Injectable()
export class DisputesRepository {
  /** The statement that stores the copies (a copy already stored is kept: a dispute is submitted once); null when there is none. */
  store(copies: readonly NewDisputeCopy[]): RawBuilder<unknown> | null {
    if (copies.length === 0) return null;
    const column = <K extends keyof NewDisputeCopy>(key: K) => copies.map((copy) => copy[key]);
    return sql`
      INSERT INTO notification.disputes (id, payment_id, customer_id, merchant_id, reason, locale, amount, currency, created_at)
      SELECT * FROM unnest(${column('id')}::text[], ${column('payment_id')}::text[], ${column('customer_id')}::text[], ${column('merchant_id')}::text[],
                           ${column('reason')}::text[], ${column('locale')}::text[], ${column('amount')}::bigint[], ${column('currency')}::text[],
                           ${column('created_at')}::timestamptz[])
      ON CONFLICT (id) DO NOTHING`;
  }

  /**
   * The copies of `ids` that dispute.submitted has brought, by id. Topics are not ordered against each other,
   * so a decision or a refund may come first: callers fall back on what their own event carries.
   */
  async find(on: Queryable, ids: readonly string[]): Promise<Map<string, DisputeCopy>> {
    if (ids.length === 0) return new Map();
    const found = await rows(on, db.selectFrom('notification.disputes')
      .select(['id', 'payment_id', 'customer_id', 'merchant_id', 'locale', 'amount', 'currency'])
      .where('id', '=', sql<string>`ANY(${ids})`));
    return new Map(found.map((row) => [row.id, row]));
  }
}
