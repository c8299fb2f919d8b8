import { Module } from '@nestjs/common';
import { MerchantRateModule } from '../merchant-rate/merchant-rate.module';
import { MerchantCountersRepository } from './merchant-counters.repository';
import { MerchantCountersService } from './merchant-counters.service';

/** Each merchant's payments and disputes, counted as recorded: triage's dispute rate and the windowed rate at a flat cost. */
@Module({
  imports: [MerchantRateModule],
  providers: [MerchantCountersRepository, MerchantCountersService],
  exports: [MerchantCountersService],
})
export class MerchantCountersModule {}
