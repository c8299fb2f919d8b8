import { DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@recourse/platform';
import { LedgerModule } from './ledger/ledger.module';
import { refundMigrations } from './migrations';
import { RefundConfig } from './refund.config';
import { RefundsModule } from './refunds/refunds.module';

// The order is the routes' and handlers' registration order, so the OpenAPI document's (libs/client's drift test).
@Module({
  imports: [RefundsModule, LedgerModule],
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
          migrations: refundMigrations,
        }),
      ],
    };
  }
}
