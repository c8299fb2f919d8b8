import { Injectable } from '@nestjs/common';
import { isBalanced, Posting } from '@recourse/domain';
import { CommonErrors, decodeCursor, newRowId, ProblemException, Queryable, RawBuilder, rows, toPage, together } from '@recourse/platform';
import { DataSource } from 'typeorm';
import { FrozenAccountsRepository } from './frozen-accounts.repository';
import { AccountQuery } from './dto/account.dto';
import { AccountView, LedgerEntryView, LedgerVerificationView } from './dto/ledger.view';
import { LedgerErrors } from './ledger.errors';
import { toEntryView } from './ledger.mapper';
import { LedgerRepository } from './ledger.repository';
import { LedgerTransactionKind } from './ledger.types';

/** The double-entry ledger: append-only postings, balances derived from them (DOMAIN.md "Money"). */
@Injectable()
export class LedgerService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly ledger: LedgerRepository,
    private readonly frozen: FrozenAccountsRepository,
  ) {}

  /** Appends one transaction in the caller's transaction. An unbalanced one is a bug and books nothing. */
  async record(on: Queryable, refundId: string, kind: LedgerTransactionKind, postings: Posting[]): Promise<string> {
    const { ids, writes } = this.recording([{ refundId, kind, postings }]);
    await rows(on, together(writes)!);
    return ids[0];
  }

  /**
   * The writes that append transactions, in order, and their ids: for the caller to send in one statement
   * (`together`, with writes of its own) in its transaction. If one does not balance (a bug), this throws and
   * none is written.
   */
  recording(transactions: ReadonlyArray<{ refundId: string; kind: LedgerTransactionKind; postings: Posting[] }>): { ids: string[]; writes: RawBuilder<unknown>[] } {
    if (transactions.length === 0) return { ids: [], writes: [] };
    for (const { refundId, postings } of transactions) {
      if (!isBalanced(postings)) throw new Error(`ledger transaction for refund ${refundId} does not balance`);
    }
    const identified = transactions.map((transaction) => ({ ...transaction, id: newRowId() }));
    return { ids: identified.map((transaction) => transaction.id), writes: this.ledger.append(identified) };
  }

  async entriesOfRefund(refundId: string, on: Queryable = this.dataSource): Promise<LedgerEntryView[]> {
    return (await this.ledger.entriesOfRefund(on, refundId)).map(toEntryView);
  }

  async account(account: string, query: AccountQuery): Promise<AccountView> {
    const currencies = await this.ledger.currenciesOf(account);
    if (currencies.length === 0) throw new ProblemException(LedgerErrors.AccountNotFound, `no postings for ${account}`);
    const currency = query.currency ?? onlyCurrency(currencies.map((held) => held.trim()));
    const balance = await this.ledger.balance(account, currency);
    const limit = query.limit ?? 20;
    const beforeId = decodeCursor(query.cursor)?.id ?? null;
    if (beforeId !== null && !/^\d+$/.test(beforeId)) throw invalidCursor();
    const rows = await this.ledger.entriesOfAccount(account, currency, beforeId, limit + 1);
    const page = toPage(rows, limit, (row) => ({ at: row.at, id: row.id }), toEntryView);
    const frozen = await this.frozen.isFrozen(account);
    return { account, currency, balance, frozen, entries: page.data, nextCursor: page.nextCursor };
  }

  /**
   * Checks the whole ledger: every transaction has two postings or more and balances in each of its
   * currencies, so debits equal credits per currency and overall; and no failed booking has postings
   * (nothing half-booked).
   */
  async verify(): Promise<LedgerVerificationView> {
    const perCurrency = await this.ledger.totalsPerCurrency();
    const counts = await this.ledger.counts();
    const currencies = perCurrency.map((row) => ({ currency: row.currency.trim(), debits: row.debits ?? 0, credits: row.credits ?? 0 }));
    const debits = currencies.reduce((sum, row) => sum + row.debits, 0);
    const credits = currencies.reduce((sum, row) => sum + row.credits, 0);
    const balanced = counts.unbalanced === 0 && counts.half_booked === 0 && currencies.every((row) => row.debits === row.credits);
    return { balanced, debits, credits, transactions: counts.transactions, unbalancedTransactions: counts.unbalanced, failedWithPostings: counts.half_booked, currencies };
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
