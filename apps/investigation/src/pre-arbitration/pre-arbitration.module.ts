import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { DeadlinesModule } from '../deadlines/deadlines.module';
import { MerchantsModule } from '../merchants/merchants.module';
import { MerchantAppealController } from './merchant-appeal.controller';
import { PreArbitrationService } from './pre-arbitration.service';
import { RulingController } from './ruling.controller';

/** A merchant's appeal of an approval it bears, and a supervisor's ruling on it (CONTRACT §10 pre-arbitration). */
@Module({
  imports: [CasesModule, MerchantsModule, DeadlinesModule],
  controllers: [MerchantAppealController, RulingController],
  providers: [PreArbitrationService],
})
export class PreArbitrationModule {}
