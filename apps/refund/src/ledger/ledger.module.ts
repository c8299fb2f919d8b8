import { Module } from '@nestjs/common';
import { FrozenAccountsRepository } from './frozen-accounts.repository';
import { FrozenAccountsService } from './frozen-accounts.service';
import { LedgerController } from './ledger.controller';
import { LedgerRepository } from './ledger.repository';
import { LedgerService } from './ledger.service';

/** The double-entry ledger of wallet accounts and the accounts an admin froze. Bookings post through LedgerService. */
@Module({
  controllers: [LedgerController],
  providers: [LedgerRepository, LedgerService, FrozenAccountsRepository, FrozenAccountsService],
  exports: [LedgerService, FrozenAccountsRepository],
})
export class LedgerModule {}
