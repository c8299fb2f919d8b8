import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { ConversationModule } from '../conversation/conversation.module';
import { DeadlinesModule } from '../deadlines/deadlines.module';
import { DecisionsModule } from '../decisions/decisions.module';
import { MerchantDisputesController } from './merchant-disputes.controller';
import { MerchantDisputesRepository } from './merchant-disputes.repository';
import { MerchantDisputesService } from './merchant-disputes.service';

/** A merchant's disputes: what it is asked for, its evidence, its acceptance of liability. */
@Module({
  imports: [CasesModule, ConversationModule, DecisionsModule, DeadlinesModule],
  controllers: [MerchantDisputesController],
  providers: [MerchantDisputesRepository, MerchantDisputesService],
  exports: [MerchantDisputesService],
})
export class MerchantsModule {}
