import { Module } from '@nestjs/common';
import { DeadlinesModule } from '../deadlines/deadlines.module';
import { MerchantRateController } from './merchant-rate.controller';
import { MerchantRateRepository } from './merchant-rate.repository';
import { MerchantRateService } from './merchant-rate.service';

/** Merchants' dispute rates over a window from hour buckets, and the status changes they announce (CONTRACT §11). */
@Module({
  imports: [DeadlinesModule],
  controllers: [MerchantRateController],
  providers: [MerchantRateRepository, MerchantRateService],
  exports: [MerchantRateService],
})
export class MerchantRateModule {}
