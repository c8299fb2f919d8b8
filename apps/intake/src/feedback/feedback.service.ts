import { Injectable } from '@nestjs/common';
import { newEvent, Outbox, Principal, ProblemException, requestTransaction } from '@recourse/platform';
import { DataSource } from 'typeorm';
import { actableBy, actorOf } from '../disputes/dispute-access.rules';
import { DisputeErrors } from '../disputes/disputes.errors';
import { DisputesRepository } from '../disputes/disputes.repository';
import { FeedbackView, GiveFeedbackDto } from './dto/feedback.dto';
import { FeedbackErrors } from './feedback.errors';
import { acceptsFeedback } from './feedback.rules';
import { DisputeFeedback } from './feedback.types';

/** The customer's rating of a finished dispute (CONTRACT §11), given once; investigation counts it in the complaint statistics. */
@Injectable()
export class FeedbackService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
    private readonly disputes: DisputesRepository,
  ) {}

  give(principal: Principal, disputeId: string, body: GiveFeedbackDto): Promise<FeedbackView> {
    const now = new Date();
    return requestTransaction(this.dataSource, async (manager) => {
      const dispute = actableBy(principal, await this.disputes.lock(manager, disputeId));
      if (!acceptsFeedback({ status: dispute.status, appealed: dispute.appealed, appealBy: dispute.deadlines.appealBy }, now)) {
        throw new ProblemException(DisputeErrors.InvalidTransition, `feedback comes after a final status; the dispute is ${dispute.status}`);
      }
      if (dispute.feedback) throw new ProblemException(FeedbackErrors.AlreadyGiven);
      const feedback: DisputeFeedback = { rating: body.rating, comment: body.comment ?? null, createdAt: now.toISOString() };
      await this.disputes.setFeedback(manager, disputeId, feedback);
      await this.outbox.append(manager, [
        newEvent('dispute.feedback_given', { disputeId, actor: actorOf(principal), data: { rating: body.rating, ...(body.comment ? { comment: body.comment } : {}) } }, now),
      ]);
      return { disputeId, ...feedback };
    });
  }
}
