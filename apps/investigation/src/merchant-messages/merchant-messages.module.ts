import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { ConversationModule } from '../conversation/conversation.module';
import { DeadlinesModule } from '../deadlines/deadlines.module';
import { MerchantMessagesController } from './merchant-messages.controller';
import { MerchantMessagesService } from './merchant-messages.service';

/** What a merchant writes into a dispute's conversation (CONTRACT §10). */
@Module({
  imports: [CasesModule, ConversationModule, DeadlinesModule],
  controllers: [MerchantMessagesController],
  providers: [MerchantMessagesService],
})
export class MerchantMessagesModule {}
