import { DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@recourse/platform';
import { FrozenAccountsService } from './ledger/frozen-accounts.service';
import { LedgerController } from './ledger/ledger.controller';
import { LedgerService } from './ledger/ledger.service';
import { Initial1764000000000 } from './migrations/1764000000000-initial';
import { OutboxTraceContext1795700000000 } from './migrations/1795700000000-outbox-trace-context';
import { IdempotencyOwnerAndRetention1796000000100 } from './migrations/1796000000100-idempotency-owner-and-retention';
import { OutboxWithoutNotify1796160000000 } from './migrations/1796160000000-outbox-without-notify';
import { RefundConfig } from './refund.config';
import { RefundBookingService } from './refunds/refund-booking.service';
import { RefundsConsumer } from './refunds/refunds.consumer';
import { RefundsController } from './refunds/refunds.controller';
import { RefundsService } from './refunds/refunds.service';

@Module({
  controllers: [RefundsController, RefundsConsumer, LedgerController],
  providers: [RefundsService, RefundBookingService, LedgerService, FrozenAccountsService],
})
export class RefundModule {
  static withConfig(config: RefundConfig): DynamicModule {
    return {
      module: RefundModule,
      imports: [
        PlatformModule.forService({
          name: 'refund',
          config,
          configClass: RefundConfig,
          entities: [],
          migrations: [Initial1764000000000, OutboxTraceContext1795700000000, IdempotencyOwnerAndRetention1796000000100, OutboxWithoutNotify1796160000000],
        }),
      ],
    };
  }
}
