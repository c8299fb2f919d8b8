import { DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@recourse/platform';
import { LedgerModule } from './ledger/ledger.module';
import { refundMigrations } from './migrations';
import { RefundConfig } from './refund.config';
import { RefundsModule } from './refunds/refunds.module';

// Refunds first: its routes and handlers register (and the OpenAPI document lists them) before the ledger's.
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
