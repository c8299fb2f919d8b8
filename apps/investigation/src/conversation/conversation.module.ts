import { Module } from '@nestjs/common';
import { ConversationRepository } from './conversation.repository';

/** The messages of a case's conversation (CONTRACT §10), read into the case's and the merchant's views. */
@Module({
  providers: [ConversationRepository],
  exports: [ConversationRepository],
})
export class ConversationModule {}
