import { Injectable } from '@nestjs/common';
import { first, Queryable, rows, Selectable, sql, tables } from '@recourse/platform';
import { DataSource } from 'typeorm';
import { DB, RefundFrozenAccounts } from '../database/refund.tables';

export type FrozenAccountRow = Selectable<RefundFrozenAccounts>;

const db = tables<DB>();

/** refund.frozen_accounts: the accounts an admin froze, one row each. */
@Injectable()
export class FrozenAccountsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Which of `accounts` are frozen, read in the booking's transaction. */
  async frozenAmong(on: Queryable, accounts: string[]): Promise<string[]> {
    if (accounts.length === 0) return [];
    // FOR SHARE: an unfreeze waits for a booking that has just refused on this freeze, so the two never cross.
    const found = await rows(on, db.selectFrom('refund.frozen_accounts').select('account')
      .where('account', '=', sql<string>`ANY(${[...new Set(accounts)]})`).orderBy('account').forShare());
    return found.map((row) => row.account);
  }

  /** Freezing a frozen account keeps the first freeze (who and when). */
  async freeze(account: string, frozenBy: string, reason: string | null): Promise<void> {
    await rows(this.dataSource, db.insertInto('refund.frozen_accounts').values({ account, frozen_by: frozenBy, reason }).onConflict((oc) => oc.column('account').doNothing()));
  }

  async unfreeze(account: string): Promise<void> {
    await rows(this.dataSource, db.deleteFrom('refund.frozen_accounts').where('account', '=', account));
  }

  find(account: string): Promise<FrozenAccountRow | undefined> {
    return first(this.dataSource, db.selectFrom('refund.frozen_accounts').selectAll().where('account', '=', account));
  }

  async isFrozen(account: string): Promise<boolean> {
    return (await rows(this.dataSource, sql`SELECT 1 FROM refund.frozen_accounts WHERE account = ${account}`)).length > 0;
  }
}
