import { Module } from '@nestjs/common';
import { DisputesModule } from '../disputes/disputes.module';
import { ThreadConsumer } from './thread.consumer';
import { ThreadController } from './thread.controller';
import { ThreadRepository } from './thread.repository';
import { ThreadService } from './thread.service';

/** The dispute's conversation as the customer reads it, and the merchant's messages shared into it (CONTRACT §10). */
@Module({
  imports: [DisputesModule],
  controllers: [ThreadController, ThreadConsumer],
  providers: [ThreadRepository, ThreadService],
})
export class ThreadModule {}
