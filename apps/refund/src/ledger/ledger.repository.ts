import { Injectable } from '@nestjs/common';
import { Posting } from '@recourse/domain';
import { first, Queryable, RawBuilder, rows, Selectable, sql, tables } from '@recourse/platform';
import { DataSource } from 'typeorm';
import { DB, RefundLedgerTransactions, RefundPostings } from '../database/refund.tables';
import { LedgerTransactionKind } from './ledger.types';

/** A posting with its transaction's refund and time, as an account or a refund lists it; its bigserial id as the API's string. */
export type EntryRow = Pick<Selectable<RefundPostings>, 'transaction_id' | 'account' | 'side' | 'amount' | 'currency'>
  & Pick<Selectable<RefundLedgerTransactions>, 'refund_id'> & { id: string; at: Date };

/** One ledger transaction to append: its id, the refund it books and its balanced postings. */
export interface LedgerTransaction {
  id: string;
  refundId: string;
  kind: LedgerTransactionKind;
  postings: Posting[];
}

/** Totals of the whole ledger, as `verify` checks them. */
export interface LedgerCounts {
  transactions: number;
  unbalanced: number;
  half_booked: number;
}

const db = tables<DB>();

const entries = db.selectFrom('refund.postings as p').innerJoin('refund.ledger_transactions as t', 't.id', 'p.transaction_id')
  .select([sql<string>`p.id::text`.as('id'), 'p.transaction_id', 't.refund_id', 'p.account', 'p.side', 'p.amount', 'p.currency', 't.created_at as at']);

/** Signed as an account sees it: what it received (credit) minus what it paid (debit). */
const SIGNED = sql`CASE p.side WHEN 'credit' THEN p.amount ELSE -p.amount END`;

/** The double-entry ledger's tables: transactions and their append-only postings. */
@Injectable()
export class LedgerRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The writes that append transactions, in order: the transactions, then their postings. Send them in one
   * statement (`together`, in the caller's transaction), so the postings' foreign keys are checked at its end,
   * once the transactions are in. Postings take their ids in the order given (ORDER BY n), which is the
   * order an account's entries list in.
   */
  append(transactions: readonly LedgerTransaction[]): RawBuilder<unknown>[] {
    const legs = transactions.flatMap(({ id, postings }) => postings.map((posting) => ({ ...posting, transactionId: id })));
    return [
      sql`
        INSERT INTO refund.ledger_transactions (id, refund_id, kind)
        SELECT * FROM unnest(${transactions.map((t) => t.id)}::text[], ${transactions.map((t) => t.refundId)}::text[], ${transactions.map((t) => t.kind)}::text[])`,
      sql`
        INSERT INTO refund.postings (transaction_id, account, side, amount, currency)
        SELECT transaction_id, account, side, amount, currency
        FROM unnest(${legs.map((leg) => leg.transactionId)}::text[], ${legs.map((leg) => leg.account)}::text[], ${legs.map((leg) => leg.side)}::text[],
                    ${legs.map((leg) => leg.amount)}::bigint[], ${legs.map((leg) => leg.currency)}::text[])
          WITH ORDINALITY AS p(transaction_id, account, side, amount, currency, n)
        ORDER BY n`,
    ];
  }

  entriesOfRefund(on: Queryable, refundId: string): Promise<EntryRow[]> {
    return rows(on, entries.where('t.refund_id', '=', refundId).orderBy('p.id'));
  }

  /** The currencies an account holds, alphabetically. */
  async currenciesOf(account: string): Promise<string[]> {
    const found = await rows(this.dataSource, db.selectFrom('refund.postings').select('currency').distinct().where('account', '=', account).orderBy('currency'));
    return found.map((row) => row.currency);
  }

  async balance(account: string, currency: string): Promise<number> {
    const row = await first(this.dataSource, sql<{ balance: number }>`
      SELECT COALESCE(SUM(${SIGNED}), 0)::bigint AS balance FROM refund.postings p WHERE p.account = ${account} AND p.currency = ${currency}`);
    return row!.balance;
  }

  /** An account's entries in one currency, newest first, before the posting `beforeId` (a cursor's digits). */
  entriesOfAccount(account: string, currency: string, beforeId: string | null, limit: number): Promise<EntryRow[]> {
    // Posting ids grow with every append, so they order an account's entries without a timestamp tie-break.
    let query = entries.where('p.account', '=', account).where('p.currency', '=', currency);
    if (beforeId !== null) query = query.where('p.id', '<', sql<number>`${beforeId}::bigint`);
    return rows(this.dataSource, query.orderBy('p.id', 'desc').limit(limit));
  }

  /** Debits and credits per currency, alphabetically. */
  totalsPerCurrency(): Promise<Array<{ currency: string; debits: number | null; credits: number | null }>> {
    return rows(this.dataSource, sql<{ currency: string; debits: number | null; credits: number | null }>`
      SELECT currency, SUM(amount) FILTER (WHERE side = 'debit')::bigint AS debits, SUM(amount) FILTER (WHERE side = 'credit')::bigint AS credits
      FROM refund.postings GROUP BY currency ORDER BY currency`);
  }

  /**
   * How many transactions there are, how many of them have fewer than two postings or do not net to zero in
   * one of their currencies, and how many failed bookings have postings (half-booked).
   */
  async counts(): Promise<LedgerCounts> {
    const row = await first(this.dataSource, sql<LedgerCounts>`
      SELECT (SELECT count(*) FROM refund.ledger_transactions) AS transactions,
             (SELECT count(*) FROM refund.ledger_transactions t
                LEFT JOIN (SELECT transaction_id, SUM(n) AS n, bool_and(net = 0) AS nets_to_zero
                           FROM (SELECT transaction_id, currency, count(*) AS n, SUM(${SIGNED}) AS net
                                 FROM refund.postings p GROUP BY transaction_id, currency) per_currency
                           GROUP BY transaction_id) p ON p.transaction_id = t.id
               WHERE COALESCE(p.n, 0) < 2 OR NOT p.nets_to_zero) AS unbalanced,
             (SELECT count(*) FROM refund.refunds r
               WHERE r.status = 'failed' AND EXISTS (SELECT 1 FROM refund.ledger_transactions t WHERE t.refund_id = r.id)) AS half_booked`);
    return row!;
  }
}
