import { Controller } from '@nestjs/common';
import { EventBatchOf, OnEventBatch } from '@recourse/platform';
import { OfferAnswersService } from './offer-answers.service';

@Controller()
export class OfferAnswersConsumer {
  constructor(private readonly answers: OfferAnswersService) {}

  /** The customer's answers to merchants' offers (intake topic). */
  @OnEventBatch(['dispute.offer_answered'])
  onOfferAnswered(batch: EventBatchOf<'dispute.offer_answered'>) {
    return this.answers.applyAll(batch);
  }
}
