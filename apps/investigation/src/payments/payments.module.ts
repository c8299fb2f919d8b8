import { Module } from '@nestjs/common';
import { MerchantCountersModule } from '../merchant-counters/merchant-counters.module';
import { PaymentsConsumer } from './payments.consumer';
import { PaymentsRepository } from './payments.repository';
import { PaymentsService } from './payments.service';

/** Investigation's copy of the wallet's payments, for the duplicate-charge rule and the risk signals. */
@Module({
  imports: [MerchantCountersModule],
  controllers: [PaymentsConsumer],
  providers: [PaymentsRepository, PaymentsService],
  exports: [PaymentsRepository],
})
export class PaymentsModule {}
