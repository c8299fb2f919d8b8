import { Injectable } from '@nestjs/common';
import { OPEN_CASE_STATUSES } from '@recourse/domain';
import { newEvent } from '@recourse/platform';
import { EntityManager } from 'typeorm';
import { SYSTEM } from '../cases/actors.rules';
import { CaseWriter } from '../cases/case-writer.service';
import { slaBreaches } from '../cases/case.metric';
import { offerData } from '../offers/offer.mapper';
import { dueOpenOffer, settleOffer } from '../offers/offers.repository';
import { DueTimer } from './timers.repository';

/** What each deadline does when it passes. A deadline that no longer applies is audited as moot. */
@Injectable()
export class DeadlineEffects {
  constructor(private readonly writer: CaseWriter) {}

  async fire(manager: EntityManager, timer: DueTimer, now: Date): Promise<void> {
    const row = await this.writer.lock(manager, timer.case_id);
    const dueAt = timer.due_at.toISOString();
    const address = { customerId: row.customer_id, locale: row.locale };
    const undecided = OPEN_CASE_STATUSES.includes(row.status) && !row.decision;
    const moot = () => this.writer.note(manager, row, { actor: SYSTEM.timer, action: `deadline.${timer.kind}.moot`, data: { dueAt, status: row.status } });

    switch (timer.kind) {
      case 'provisional_credit':
        // Regulation E: no decision within the window, so the customer gets the money while we investigate.
        if (!undecided) return moot();
        return this.writer.change(manager, row, { type: 'flag', flag: 'provisional_credit' }, {
          actor: SYSTEM.timer, action: 'case.provisional_credit_due', data: { dueAt, amount: row.amount },
          events: [newEvent('case.provisional_credit_due', { disputeId: row.id, actor: SYSTEM.timer, data: {
            amount: row.amount, currency: row.currency.trim(), customerId: row.customer_id, merchantId: row.merchant_id,
            paymentId: row.payment_id, paymentAmount: row.payment.amount, locale: address.locale,
          } }, now)],
        }).then(() => undefined);
      case 'resolution':
        // A breach is never silent: flagged, audited, announced and reported.
        if (!undecided) return moot();
        return this.writer.change(manager, row, { type: 'flag', flag: 'sla_breached' }, {
          actor: SYSTEM.timer, action: 'case.sla_breached', data: { deadline: 'resolution', dueAt },
          events: [newEvent('case.sla_breached', { disputeId: row.id, actor: SYSTEM.timer, data: { deadline: 'resolution', dueAt, ...address } }, now)],
        }).then(() => void slaBreaches.inc({ deadline: 'resolution' }));
      case 'merchant_response':
        if (row.status !== 'awaiting_merchant' || row.evidence_request?.dueBy !== dueAt) return moot();
        return this.writer.change(manager, row, { type: 'merchant_unresponsive' }, {
          actor: SYSTEM.timer, action: 'case.merchant_unresponsive', data: { dueAt },
          events: [newEvent('case.sla_breached', { disputeId: row.id, actor: SYSTEM.timer, data: { deadline: 'merchant_response', dueAt, ...address } }, now)],
        }).then(() => void slaBreaches.inc({ deadline: 'merchant_response' }));
      case 'offer_response': {
        // Unanswered in time, the offer expires whatever became of the case (an answer refused meanwhile expired it already).
        const offer = await dueOpenOffer(manager, row.id, now);
        if (!offer) return moot();
        await settleOffer(manager, offer.id, 'expired', now, null);
        return this.writer.note(manager, row, {
          actor: SYSTEM.timer, action: 'case.offer_expired', data: { offerId: offer.id, dueAt },
          events: [newEvent('case.offer_expired', { disputeId: row.id, actor: SYSTEM.timer, data: { ...offerData(offer), expiresAt: offer.expires_at.toISOString(), ...address } }, now)],
        });
      }
      case 'appeal_window':
        if (row.status !== 'rejected' || row.appealed) return moot();
        return this.writer.note(manager, row, { actor: SYSTEM.timer, action: 'case.closed', data: { reason: 'appeal window passed', dueAt } });
    }
  }
}
