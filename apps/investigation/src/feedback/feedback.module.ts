import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { FeedbackConsumer } from './feedback.consumer';
import { FeedbackService } from './feedback.service';

/** Customers' ratings of finished disputes (CONTRACT §11), as intake announces them. */
@Module({
  imports: [CasesModule],
  controllers: [FeedbackConsumer],
  providers: [FeedbackService],
})
export class FeedbackModule {}
