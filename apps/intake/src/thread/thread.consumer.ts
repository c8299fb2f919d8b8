import { Controller } from '@nestjs/common';
import { EventBatchOf, OnEventBatch } from '@recourse/platform';
import { ThreadRepository } from './thread.repository';

@Controller()
export class ThreadConsumer {
  constructor(private readonly thread: ThreadRepository) {}

  /** The merchant's messages for everyone (investigation never sends the others), a partition's run with one INSERT. */
  @OnEventBatch(['case.merchant_message_shared'])
  async onMerchantMessagesShared({ events, manager }: EventBatchOf<'case.merchant_message_shared'>): Promise<void> {
    await this.thread.addMerchantMessages(manager, events);
  }
}
