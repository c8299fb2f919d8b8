import { Module } from '@nestjs/common';
import { DisputesModule } from '../disputes/disputes.module';
import { MessagesController } from './messages.controller';
import { MessagesRepository } from './messages.repository';
import { MessagesService } from './messages.service';

/** Information and evidence the customer adds to an open dispute. */
@Module({
  imports: [DisputesModule],
  controllers: [MessagesController],
  providers: [MessagesRepository, MessagesService],
})
export class MessagesModule {}
