import { Module } from '@nestjs/common';
import { DisputesModule } from '../disputes/disputes.module';
import { FeedbackController } from './feedback.controller';
import { FeedbackService } from './feedback.service';

/** The customer's rating of a finished dispute (CONTRACT §11). */
@Module({
  imports: [DisputesModule],
  controllers: [FeedbackController],
  providers: [FeedbackService],
})
export class FeedbackModule {}
