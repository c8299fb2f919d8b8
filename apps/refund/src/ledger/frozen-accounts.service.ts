import { Injectable, Logger } from '@nestjs/common';
import { Principal } from '@recourse/platform';
import { AccountFreezeView, FreezeAccountBody } from './dto/account-freeze.dto';
import { FrozenAccountsRepository } from './frozen-accounts.repository';

/**
 * Accounts the wallet core has frozen, as an admin tells refund (an extension of CONTRACT §6). A refund or
 * provisional credit that would post to a frozen account is not booked: it fails with `account_frozen`
 * and an admin retries it after unfreezing. A freeze applies to bookings that start after it commits.
 */
@Injectable()
export class FrozenAccountsService {
  private readonly logger = new Logger(FrozenAccountsService.name);

  constructor(private readonly frozen: FrozenAccountsRepository) {}

  /** Freezing a frozen account keeps the first freeze (who and when); the call is idempotent. */
  async freeze(principal: Principal, account: string, body: FreezeAccountBody): Promise<AccountFreezeView> {
    await this.frozen.freeze(account, principal.sub, body.reason ?? null);
    this.logger.warn({ account, by: principal.sub }, 'account frozen');
    return this.status(account);
  }

  async unfreeze(principal: Principal, account: string): Promise<AccountFreezeView> {
    await this.frozen.unfreeze(account);
    this.logger.warn({ account, by: principal.sub }, 'account unfrozen');
    return this.status(account);
  }

  async status(account: string): Promise<AccountFreezeView> {
    const row = await this.frozen.find(account);
    if (!row) return { account, frozen: false, frozenBy: null, reason: null, frozenAt: null };
    return { account, frozen: true, frozenBy: row.frozen_by, reason: row.reason, frozenAt: row.frozen_at.toISOString() };
  }
}
