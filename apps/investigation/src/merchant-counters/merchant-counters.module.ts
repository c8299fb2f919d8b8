import { Module } from '@nestjs/common';
import { MerchantCountersRepository } from './merchant-counters.repository';
import { MerchantCountersService } from './merchant-counters.service';

/** Each merchant's payments and disputes, counted as recorded: triage's dispute rate at a flat cost. */
@Module({
  providers: [MerchantCountersRepository, MerchantCountersService],
  exports: [MerchantCountersService],
})
export class MerchantCountersModule {}
