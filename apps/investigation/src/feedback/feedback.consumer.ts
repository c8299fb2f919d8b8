import { Controller } from '@nestjs/common';
import { EventBatchOf, OnEventBatch } from '@recourse/platform';
import { FeedbackService } from './feedback.service';

@Controller()
export class FeedbackConsumer {
  constructor(private readonly feedback: FeedbackService) {}

  /** Customers' ratings of finished disputes (intake topic), for the complaint statistics. */
  @OnEventBatch(['dispute.feedback_given'])
  onFeedbackGiven(batch: EventBatchOf<'dispute.feedback_given'>) {
    return this.feedback.recordAll(batch);
  }
}
