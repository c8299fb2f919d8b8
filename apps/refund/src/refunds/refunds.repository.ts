import { Injectable } from '@nestjs/common';
import { first, Queryable, RawBuilder, rows, Selectable, sql, tables } from '@recourse/platform';
import { DataSource } from 'typeorm';
import { DB, RefundRefunds } from '../database/refund.tables';

/** A row of refund.refunds: a refund or a provisional credit. */
export type RefundRow = Selectable<RefundRefunds>;
/** A refunds row without its timestamps: what the booking rules read and write. */
export type RefundDraft = Omit<RefundRow, 'created_at' | 'updated_at'>;
/** A row with what its dispute has been refunded for good (its one succeeded refund), for partial refunds. */
export type RefundWithDisputeRefunded = RefundRow & { dispute_refunded: number; reversed_amount: number | null; reversed_at: Date | null };

/** A page of refunds, newest first, after the cursor's (created_at, id). */
export interface RefundListing {
  disputeId: string | null;
  paymentId: string | null;
  after: { at: Date; id: string } | null;
  limit: number;
}

const db = tables<DB>();

const COLUMNS = [
  ['id', 'text'], ['dispute_id', 'text'], ['payment_id', 'text'], ['customer_id', 'text'], ['merchant_id', 'text'], ['kind', 'text'], ['status', 'text'],
  ['amount', 'bigint'], ['disputed_amount', 'bigint'], ['currency', 'text'], ['liability', 'text'], ['failure_code', 'text'], ['failure_detail', 'text'],
  ['provisional_credit_id', 'text'], ['cause_event_id', 'text'], ['correlation_id', 'text'], ['locale', 'text'], ['split_merchant', 'bigint'], ['split_platform', 'bigint'],
  ['prevented', 'boolean'],
] as const satisfies ReadonlyArray<readonly [keyof RefundDraft, string]>;

const withDisputeRefunded = db.selectFrom('refund.refunds as r')
  .leftJoin('refund.refunds as settled', (join) => join.onRef('settled.dispute_id', '=', 'r.dispute_id').on('settled.kind', '=', 'refund').on('settled.status', '=', 'succeeded'))
  // A ruling that reversed the merchant's liability (CONTRACT §10) is recorded beside the refund, whose own columns stay as booked.
  .leftJoin('refund.liability_reversals as reversal', (join) => join.onRef('reversal.refund_id', '=', 'r.id').on('reversal.status', '=', 'booked'))
  .selectAll('r').select(sql<number>`COALESCE(settled.amount, 0)`.as('dispute_refunded'))
  .select(['reversal.amount as reversed_amount', 'reversal.settled_at as reversed_at']);

/** refund.refunds: refunds and provisional credits, written by bookings, read by investigators and admins. */
@Injectable()
export class RefundsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The statement that inserts a run's new refunds and provisional credits; it returns a row for each one
   * inserted, which `checkInserted` counts. The unique (dispute_id, kind) constraint is what makes each "at
   * most once", whatever raced us: should a row the run did not see under its locks be there, the
   * statement books nothing of it and the check throws, so the run is applied again one event at a time,
   * each reading that row. Null when there is nothing to insert.
   */
  insert(drafts: readonly RefundDraft[]): RawBuilder<{ id: string }> | null {
    if (drafts.length === 0) return null;
    return sql<{ id: string }>`
      INSERT INTO refund.refunds (${sql.join(COLUMNS.map(([name]) => sql.ref(name)))})
      SELECT * FROM unnest(${sql.join(COLUMNS.map(([name, type]) => sql`${drafts.map((draft) => draft[name])}::${sql.raw(type)}[]`))})
      ON CONFLICT (dispute_id, kind) DO NOTHING RETURNING id`;
  }

  /** Throws unless an `insert` of `drafts` inserted every one of them (`inserted`: the rows it returned). */
  checkInserted(drafts: readonly RefundDraft[], inserted: readonly unknown[]): void {
    if (inserted.length !== drafts.length) throw new Error(`${drafts.length - inserted.length} of ${drafts.length} refunds already existed; not booked`);
  }

  /** The statement that writes the new status, failure and finalised credit of rows a run changed; null when none changed. */
  update(drafts: readonly RefundDraft[]): RawBuilder<unknown> | null {
    if (drafts.length === 0) return null;
    return sql`
      UPDATE refund.refunds r SET status = u.status, failure_code = u.failure_code, failure_detail = u.failure_detail,
        provisional_credit_id = u.provisional_credit_id, updated_at = now()
      FROM unnest(${drafts.map((draft) => draft.id)}::text[], ${drafts.map((draft) => draft.status)}::text[], ${drafts.map((draft) => draft.failure_code)}::text[],
                  ${drafts.map((draft) => draft.failure_detail)}::text[], ${drafts.map((draft) => draft.provisional_credit_id)}::text[])
        AS u(id, status, failure_code, failure_detail, provisional_credit_id)
      WHERE r.id = u.id`;
  }

  /** Every row of the disputes, locked for the rest of the transaction in a stable order. Take their payments' locks first. */
  lockRowsOf(on: Queryable, disputeIds: readonly string[]): Promise<RefundRow[]> {
    if (disputeIds.length === 0) return Promise.resolve([]);
    return rows(on, db.selectFrom('refund.refunds').selectAll().where('dispute_id', '=', sql<string>`ANY(${disputeIds})`).orderBy('id').forUpdate());
  }

  /** Whose money a refund moves, and on which payment and dispute: what a retry locks and reads. */
  parties(on: Queryable, id: string): Promise<Pick<RefundRow, 'payment_id' | 'dispute_id' | 'customer_id' | 'merchant_id'> | undefined> {
    return first(on, db.selectFrom('refund.refunds').select(['payment_id', 'dispute_id', 'customer_id', 'merchant_id']).where('id', '=', id));
  }

  list(listing: RefundListing): Promise<RefundWithDisputeRefunded[]> {
    let query = withDisputeRefunded.orderBy('r.created_at', 'desc').orderBy('r.id', 'desc').limit(listing.limit);
    if (listing.disputeId !== null) query = query.where('r.dispute_id', '=', listing.disputeId);
    if (listing.paymentId !== null) query = query.where('r.payment_id', '=', listing.paymentId);
    const { after } = listing;
    if (after) query = query.where(({ eb, refTuple, tuple }) => eb(refTuple('r.created_at', 'r.id'), '<', tuple(after.at, after.id)));
    return rows(this.dataSource, query);
  }

  find(on: Queryable, id: string): Promise<RefundWithDisputeRefunded | undefined> {
    return first(on, withDisputeRefunded.where('r.id', '=', id));
  }
}
