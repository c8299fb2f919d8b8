import { Injectable, Logger } from '@nestjs/common';
import { Principal } from '@recourse/platform';
import { DataSource, EntityManager } from 'typeorm';
import { AccountFreezeView, FreezeAccountBody } from './dto/account-freeze.dto';

interface FrozenRow {
  account: string;
  frozen_by: string;
  reason: string | null;
  frozen_at: Date;
}

/**
 * Accounts the wallet core has frozen, as an admin tells refund (an extension of CONTRACT §6). A refund or
 * provisional credit that would post to a frozen account is not booked: it fails with `account_frozen`
 * and an admin retries it after unfreezing. A freeze applies to bookings that start after it commits.
 */
@Injectable()
export class FrozenAccountsService {
  private readonly logger = new Logger(FrozenAccountsService.name);

  constructor(private readonly dataSource: DataSource) {}

  /** Which of `accounts` are frozen, read in the booking's transaction. */
  async frozenAmong(manager: EntityManager, accounts: string[]): Promise<string[]> {
    if (accounts.length === 0) return [];
    // FOR SHARE: an unfreeze waits for a booking that has just refused on this freeze, so the two never cross.
    const rows: Array<{ account: string }> = await manager.query(
      'SELECT account FROM refund.frozen_accounts WHERE account = ANY($1) ORDER BY account FOR SHARE',
      [[...new Set(accounts)]],
    );
    return rows.map((row) => row.account);
  }

  /** Freezing a frozen account keeps the first freeze (who and when); the call is idempotent. */
  async freeze(principal: Principal, account: string, body: FreezeAccountBody): Promise<AccountFreezeView> {
    await this.dataSource.query(
      'INSERT INTO refund.frozen_accounts (account, frozen_by, reason) VALUES ($1, $2, $3) ON CONFLICT (account) DO NOTHING',
      [account, principal.sub, body.reason ?? null],
    );
    this.logger.warn({ account, by: principal.sub }, 'account frozen');
    return this.status(account);
  }

  async unfreeze(principal: Principal, account: string): Promise<AccountFreezeView> {
    await this.dataSource.query('DELETE FROM refund.frozen_accounts WHERE account = $1', [account]);
    this.logger.warn({ account, by: principal.sub }, 'account unfrozen');
    return this.status(account);
  }

  async status(account: string): Promise<AccountFreezeView> {
    const [row]: FrozenRow[] = await this.dataSource.query('SELECT * FROM refund.frozen_accounts WHERE account = $1', [account]);
    if (!row) return { account, frozen: false, frozenBy: null, reason: null, frozenAt: null };
    return { account, frozen: true, frozenBy: row.frozen_by, reason: row.reason, frozenAt: row.frozen_at.toISOString() };
  }
}
