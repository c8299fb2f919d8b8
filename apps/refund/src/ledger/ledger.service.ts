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
    if (!isBalanced(postings)) throw new Error(`ledger transaction for refund ${refundId} does not balance`);
    const id = randomUUID();
    await manager.query('INSERT INTO refund.ledger_transactions (id, refund_id, kind) VALUES ($1, $2, $3)', [id, refundId, kind]);
    for (const posting of postings) {
      await manager.query(
        'INSERT INTO refund.postings (transaction_id, account, side, amount, currency) VALUES ($1, $2, $3, $4, $5)',
        [id, posting.account, posting.side, posting.amount, posting.currency],
      );
    }
    return id;
  }

  async entriesOfRefund(refundId: string): Promise<LedgerEntryView[]> {
    const rows: EntryRow[] = await this.dataSource.query(`SELECT ${ENTRY_COLUMNS} WHERE t.refund_id = $1 ORDER BY p.id`, [refundId]);
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
    return { account, currency, balance: Number(balance), entries: page.data, nextCursor: page.nextCursor };
  }

  /** Sums the whole ledger and finds any transaction that does not balance in each of its currencies. */
  async verify(): Promise<LedgerVerificationView> {
    const [totals]: Array<{ debits: string; credits: string; transactions: string }> = await this.dataSource.query(
      `SELECT COALESCE(SUM(amount) FILTER (WHERE side = 'debit'), 0) AS debits,
              COALESCE(SUM(amount) FILTER (WHERE side = 'credit'), 0) AS credits,
              (SELECT count(*) FROM refund.ledger_transactions) AS transactions
       FROM refund.postings`,
    );
    const [{ unbalanced }]: Array<{ unbalanced: string }> = await this.dataSource.query(
      `SELECT count(*) AS unbalanced FROM refund.ledger_transactions t
       WHERE (SELECT count(*) FROM refund.postings p WHERE p.transaction_id = t.id) < 2
          OR EXISTS (SELECT 1 FROM refund.postings p WHERE p.transaction_id = t.id GROUP BY p.currency HAVING SUM(${SIGNED}) <> 0)`,
    );
    const debits = Number(totals.debits);
    const credits = Number(totals.credits);
    const unbalancedTransactions = Number(unbalanced);
    return { balanced: debits === credits && unbalancedTransactions === 0, debits, credits, transactions: Number(totals.transactions), unbalancedTransactions };
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
