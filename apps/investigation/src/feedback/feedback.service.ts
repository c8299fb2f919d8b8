import { Injectable } from '@nestjs/common';
import { EventBatchOf } from '@recourse/platform';
import { CaseFeedback } from '../cases/case.types';
import { CaseWriter } from '../cases/case-writer.service';

/**
 * The customer's rating of a finished dispute (CONTRACT §11), kept on the case for the complaint statistics and
 * on its audit trail. Intake accepts one per dispute; should another arrive, the first stays. Ratings are rare:
 * a run is applied one at a time, each under its case's row lock.
 */
@Injectable()
export class FeedbackService {
  constructor(private readonly writer: CaseWriter) {}

  async recordAll({ events, manager }: EventBatchOf<'dispute.feedback_given'>): Promise<void> {
    for (const event of events) {
      const row = await this.writer.lock(manager, event.disputeId);
      if (row.feedback) continue;
      const feedback: CaseFeedback = { rating: event.data.rating, comment: event.data.comment ?? null, at: event.occurredAt };
      await this.writer.note(manager, row, { actor: event.actor, action: 'customer.feedback_given', data: feedback, columns: { feedback } });
    }
  }
}
