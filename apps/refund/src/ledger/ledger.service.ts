import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { isBalanced, Posting, Side } from '@recourse/domain';
import { CommonErrors, decodeCursor, ProblemException, toPage } from '@recourse/platform';
import { DataSource, EntityManager } from 'typeorm';
import { AccountQuery } from './dto/account.params';
import { AccountView, LedgerEntryView, LedgerVerificationView } from './dto/ledger.view';
import { LedgerErrors } from './ledger.errors';

export type LedgerTransactionKind = 'refund' | 'refund_reversal' | 'provisional_credit' | 'provisional_credit_reversal';

interface EntryRow {
  id: string;
  transaction_id: string;
  refund_id: string;
  account: string;
  side: Side;
  amount: string;
  currency: string;
  at: Date;
}

const ENTRY_COLUMNS = `p.id, p.transaction_id, t.refund_id, p.account, p.side, p.amount, p.currency, t.created_at AS at
  FROM refund.postings p JOIN refund.ledger_transactions t ON t.id = p.transaction_id`;

/** Signed as an account sees it: what it received (credit) minus what it paid (debit). */
const SIGNED = `CASE p.side WHEN 'credit' THEN p.amount ELSE -p.amount END`;

/** The double-entry ledger: append-only postings, balances derived from them (DOMAIN.md "Money"). */
@Injectable()
export class LedgerService {
  constructor(private readonly dataSource: DataSource) {}

  /** Appends one transaction in the caller's transaction. An unbalanced one is a bug and books nothing. */
  async record(manager: EntityManager, refundId: string, kind: LedgerTransactionKind, postings: Posting[]): Promise<string> {
    const [id] = await this.recordAll(manager, [{ refundId, kind, postings }]);
    return id;
  }

  /**
   * Appends transactions, in order, with one statement, in the caller's transaction; answers their ids. If
   * one does not balance (a bug), none is written.
   */
  async recordAll(manager: EntityManager, transactions: ReadonlyArray<{ refundId: string; kind: LedgerTransactionKind; postings: Posting[] }>): Promise<string[]> {
    if (transactions.length === 0) return [];
    for (const { refundId, postings } of transactions) {
      if (!isBalanced(postings)) throw new Error(`ledger transaction for refund ${refundId} does not balance`);
    }
    const ids = transactions.map(() => randomUUID());
    const legs = transactions.flatMap(({ postings }, index) => postings.map((posting) => ({ ...posting, transactionId: ids[index] })));
    // One statement: the postings' foreign keys are checked at its end, once the transactions are in.
    // Postings take their ids in the order given (ORDER BY n), which is the order an account's entries list in.
    await manager.query(
      `WITH transactions AS (
         INSERT INTO refund.ledger_transactions (id, refund_id, kind) SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
       )
       INSERT INTO refund.postings (transaction_id, account, side, amount, currency)
       SELECT transaction_id, account, side, amount, currency
       FROM unnest($4::text[], $5::text[], $6::text[], $7::bigint[], $8::text[]) WITH ORDINALITY AS p(transaction_id, account, side, amount, currency, n)
       ORDER BY n`,
      [ids, transactions.map((transaction) => transaction.refundId), transactions.map((transaction) => transaction.kind),
        legs.map((leg) => leg.transactionId), legs.map((leg) => leg.account), legs.map((leg) => leg.side), legs.map((leg) => leg.amount),
        legs.map((leg) => leg.currency)],
    );
    return ids;
  }

  async entriesOfRefund(refundId: string, manager: EntityManager = this.dataSource.manager): Promise<LedgerEntryView[]> {
    const rows: EntryRow[] = await manager.query(`SELECT ${ENTRY_COLUMNS} WHERE t.refund_id = $1 ORDER BY p.id`, [refundId]);
    return rows.map(toEntryView);
  }

  async account(account: string, query: AccountQuery): Promise<AccountView> {
    const currencies: Array<{ currency: string }> = await this.dataSource.query(
      'SELECT DISTINCT currency FROM refund.postings WHERE account = $1 ORDER BY currency',
      [account],
    );
    if (currencies.length === 0) throw new ProblemException(LedgerErrors.AccountNotFound, `no postings for ${account}`);
    const currency = query.currency ?? onlyCurrency(currencies.map((row) => row.currency.trim()));
    const [{ balance }]: Array<{ balance: string }> = await this.dataSource.query(
      `SELECT COALESCE(SUM(${SIGNED}), 0) AS balance FROM refund.postings p WHERE p.account = $1 AND p.currency = $2`,
      [account, currency],
    );
    const limit = query.limit ?? 20;
    // Posting ids grow with every append, so they order an account's entries without a timestamp tie-break.
    const afterId = decodeCursor(query.cursor)?.id ?? null;
    if (afterId !== null && !/^\d+$/.test(afterId)) throw invalidCursor();
    const rows: EntryRow[] = await this.dataSource.query(
      `SELECT ${ENTRY_COLUMNS} WHERE p.account = $1 AND p.currency = $2 AND ($3::bigint IS NULL OR p.id < $3::bigint)
       ORDER BY p.id DESC LIMIT $4`,
      [account, currency, afterId, limit + 1],
    );
    const page = toPage(rows, limit, (row) => ({ at: row.at, id: row.id }), toEntryView);
    const frozen: unknown[] = await this.dataSource.query('SELECT 1 FROM refund.frozen_accounts WHERE account = $1', [account]);
    return { account, currency, balance: Number(balance), frozen: frozen.length > 0, entries: page.data, nextCursor: page.nextCursor };
  }

  /**
   * Checks the whole ledger: every transaction has two postings or more and balances in each of its
   * currencies, so debits equal credits per currency and overall; and no failed booking has postings
   * (nothing half-booked).
   */
  async verify(): Promise<LedgerVerificationView> {
    const perCurrency: Array<{ currency: string; debits: string; credits: string }> = await this.dataSource.query(
      `SELECT currency, SUM(amount) FILTER (WHERE side = 'debit') AS debits, SUM(amount) FILTER (WHERE side = 'credit') AS credits
       FROM refund.postings GROUP BY currency ORDER BY currency`,
    );
    const [counts]: Array<{ transactions: string; unbalanced: string; half_booked: string }> = await this.dataSource.query(
      `SELECT (SELECT count(*) FROM refund.ledger_transactions) AS transactions,
              (SELECT count(*) FROM refund.ledger_transactions t
                 LEFT JOIN (SELECT transaction_id, SUM(n) AS n, bool_and(net = 0) AS nets_to_zero
                            FROM (SELECT transaction_id, currency, count(*) AS n, SUM(${SIGNED}) AS net
                                  FROM refund.postings p GROUP BY transaction_id, currency) per_currency
                            GROUP BY transaction_id) p ON p.transaction_id = t.id
                WHERE COALESCE(p.n, 0) < 2 OR NOT p.nets_to_zero) AS unbalanced,
              (SELECT count(*) FROM refund.refunds r
                WHERE r.status = 'failed' AND EXISTS (SELECT 1 FROM refund.ledger_transactions t WHERE t.refund_id = r.id)) AS half_booked`,
    );
    const currencies = perCurrency.map((row) => ({ currency: row.currency.trim(), debits: Number(row.debits ?? 0), credits: Number(row.credits ?? 0) }));
    const debits = currencies.reduce((sum, row) => sum + row.debits, 0);
    const credits = currencies.reduce((sum, row) => sum + row.credits, 0);
    const unbalancedTransactions = Number(counts.unbalanced);
    const failedWithPostings = Number(counts.half_booked);
    const balanced = unbalancedTransactions === 0 && failedWithPostings === 0 && currencies.every((row) => row.debits === row.credits);
    return { balanced, debits, credits, transactions: Number(counts.transactions), unbalancedTransactions, failedWithPostings, currencies };
  }
}

function onlyCurrency(currencies: string[]): string {
  if (currencies.length === 1) return currencies[0];
  throw new ProblemException(CommonErrors.ValidationFailed, `the account holds ${currencies.join(', ')}; name one`, [
    { field: 'currency', code: 'currency_required', message: `one of ${currencies.join(', ')}` },
  ]);
}

function invalidCursor(): ProblemException {
  return new ProblemException(CommonErrors.ValidationFailed, 'cursor is not a cursor this API returned', [
    { field: 'cursor', code: 'invalid_cursor', message: 'cursor is not a cursor this API returned' },
  ]);
}

function toEntryView(row: EntryRow): LedgerEntryView {
  return {
    id: row.id,
    transactionId: row.transaction_id,
    refundId: row.refund_id,
    account: row.account,
    side: row.side,
    amount: Number(row.amount),
    currency: row.currency.trim(),
    at: row.at.toISOString(),
  };
}
