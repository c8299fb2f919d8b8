import { Injectable } from '@nestjs/common';
import { OfferAnswer } from '@recourse/contracts';
import { canWithdraw } from '@recourse/domain';
import { newEvent, Outbox, Principal, ProblemException, requestTransaction } from '@recourse/platform';
import { DataSource } from 'typeorm';
import { actableBy, actorOf } from './dispute-access.rules';
import { DisputeErrors } from './disputes.errors';
import { DisputesRepository } from './disputes.repository';
import { DisputesService } from './disputes.service';
import { DisputeView } from './dto/dispute.view';

/**
 * The customer's answer to a merchant's offer (CONTRACT §10). Investigation owns the offer (its expiry timer,
 * the decision), so, as for a withdrawal, intake records the answer in its copy and publishes
 * `dispute.offer_answered`; investigation applies it under the case's row lock or refuses it, and its answer
 * (`case.offer_answered`, `case.decided` / `case.resolved`, or `case.offer_answer_refused`) moves the dispute.
 */
@Injectable()
export class OfferAnswersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
    private readonly disputes: DisputesService,
    private readonly repository: DisputesRepository,
  ) {}

  /** 200 with the dispute, the offer `accepted` or `declined`; 409 `offer_not_open` unless intake's copy is open, in time, undecided. */
  async answer(principal: Principal, id: string, offerId: string, answer: OfferAnswer): Promise<DisputeView> {
    return requestTransaction(this.dataSource, async (manager) => {
      const dispute = actableBy(principal, await this.repository.lock(manager, id));
      const offer = dispute.offers.find((candidate) => candidate.id === offerId);
      if (!offer) throw new ProblemException(DisputeErrors.NotFound, 'no such offer on this dispute');
      const now = new Date();
      if (offer.status !== 'open' || now.getTime() >= Date.parse(offer.expiresAt) || !canWithdraw(dispute.status)) {
        throw new ProblemException(DisputeErrors.OfferNotOpen, `the offer is ${offer.status === 'open' ? 'past its time or the dispute is decided' : offer.status}`);
      }
      const event = newEvent('dispute.offer_answered', { disputeId: id, actor: actorOf(principal), data: { offerId, answer } }, now);
      await this.repository.setOffers(manager, id, dispute.offers.map((candidate) => (candidate.id === offerId ? { ...candidate, status: answer, answeredAt: event.occurredAt } : candidate)));
      await this.repository.addTimeline(manager, id, answer === 'accepted' ? 'offer_accepted' : 'offer_declined', {}, now);
      await this.outbox.append(manager, [event]);
      return this.disputes.get(principal, id, undefined, manager);
    });
  }
}
