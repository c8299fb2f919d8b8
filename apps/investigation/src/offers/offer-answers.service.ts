import { Injectable } from '@nestjs/common';
import { Event } from '@recourse/contracts';
import { answerEffect, answerVerdict, OPEN_CASE_STATUSES } from '@recourse/domain';
import { causedBy, EventBatchOf, newEvent } from '@recourse/platform';
import { EntityManager } from 'typeorm';
import { CaseRow } from '../cases/cases.repository';
import { CaseWriter } from '../cases/case-writer.service';
import { timeToResolution } from '../cases/case.metric';
import { Clock } from '../deadlines/clock.service';
import { DecisionsService } from '../decisions/decisions.service';
import { offerData } from './offer.mapper';
import { findOffer, OfferRow, settleOffer } from './offers.repository';

type Answer = Event<'dispute.offer_answered'>;

/**
 * The customer's answers to offers, as intake recorded them, settled here under the case's row lock where
 * the offer's expiry and the decisions are (the withdrawal pattern): an answer to an open offer on an undecided
 * case applies (`case.offer_answered`, then an approval at the merchant's cost or the `resolved` end); any other
 * is refused with the offer's real status (`case.offer_answer_refused`), so intake corrects its copy and no
 * webhook says "accepted" for it. Answers are rare: a run is applied one answer at a time, in its order.
 */
@Injectable()
export class OfferAnswersService {
  constructor(
    private readonly writer: CaseWriter,
    private readonly decisions: DecisionsService,
    private readonly clock: Clock,
  ) {}

  async applyAll({ events, manager }: EventBatchOf<'dispute.offer_answered'>): Promise<void> {
    for (const event of events) await this.apply(manager, event);
  }

  private async apply(manager: EntityManager, event: Answer): Promise<void> {
    // Intake answers only offers it heard of from this case, so a missing case is a producer's bug (dead-lettered).
    const row = await this.writer.lock(manager, event.disputeId);
    const offer = await findOffer(manager, row.id, event.data.offerId);
    if (!offer) throw new Error(`dispute.offer_answered ${event.id}: case ${row.id} has no offer ${event.data.offerId}`);
    const now = this.clock.now();
    const verdict = answerVerdict({ status: offer.status, expiresAt: offer.expires_at }, OPEN_CASE_STATUSES.includes(row.status), now);
    if (!verdict.ok) return this.refuse(manager, row, offer, event, verdict.status, now);

    const { answer } = event.data;
    await settleOffer(manager, offer.id, answer, now, event.actor);
    const answered = newEvent('case.offer_answered', {
      disputeId: row.id, actor: event.actor, ...causedBy(event),
      data: { ...offerData(offer), requestId: event.id, answer, paymentId: row.payment_id, customerId: row.customer_id, locale: row.locale },
    }, now);
    await this.writer.note(manager, row, { actor: event.actor, action: `case.offer_${answer}`, data: { offerId: offer.id, kind: offer.kind, amount: offer.amount }, events: [answered] });

    switch (answerEffect(offer.kind, answer)) {
      case 'none':
        return;
      case 'approve':
        // The merchant's own offer: its cost, never held for four eyes (CONTRACT §10), decided by the customer's acceptance.
        return this.decisions.decide(manager, row, {
          outcome: 'approve', refundAmount: offer.amount ?? row.amount, reasonCode: 'merchant_offer_accepted',
          explanation: `The customer accepted the merchant's ${offer.kind} offer.`, by: { actor: event.actor, kind: 'offer' },
          command: { type: 'accept_refund_offer' }, cause: event,
        });
      case 'resolve':
        await this.writer.change(manager, row, { type: 'resolve_by_merchant' }, {
          actor: event.actor, action: 'case.resolved', data: { offerId: offer.id, kind: offer.kind, outcome: 'resolved_by_merchant' },
          columns: { outcome: 'resolved_by_merchant', decided_at: now },
          events: [newEvent('case.resolved', {
            disputeId: row.id, actor: event.actor, ...causedBy(event),
            data: {
              outcome: 'resolved_by_merchant', offerId: offer.id, kind: offer.kind, merchantId: row.merchant_id, paymentId: row.payment_id,
              disputedAmount: row.amount, currency: row.currency.trim(), customerId: row.customer_id, locale: row.locale,
            },
          }, now)],
        });
        timeToResolution.observe({ outcome: 'resolved', decided_by: 'offer' }, (now.getTime() - row.created_at.getTime()) / 1000);
        return;
    }
  }

  /** An offer that lapsed unanswered (past its time, or its case closed) expires now, as its timer would expire it. */
  private async refuse(manager: EntityManager, row: CaseRow, offer: OfferRow, event: Answer, status: OfferRow['status'], now: Date): Promise<void> {
    const lapsed = offer.status === 'open';
    if (lapsed) await settleOffer(manager, offer.id, 'expired', now, null);
    const address = { customerId: row.customer_id, locale: row.locale };
    await this.writer.note(manager, row, {
      actor: event.actor, action: 'case.offer_answer_refused', data: { offerId: offer.id, answer: event.data.answer, status, caseStatus: row.status },
      events: [
        ...(lapsed ? [newEvent('case.offer_expired', { disputeId: row.id, actor: event.actor, ...causedBy(event), data: { ...offerData(offer), expiresAt: offer.expires_at.toISOString(), ...address } }, now)] : []),
        newEvent('case.offer_answer_refused', { disputeId: row.id, actor: event.actor, ...causedBy(event), data: { requestId: event.id, offerId: offer.id, answer: event.data.answer, status } }, now),
      ],
    });
  }
}
