import { Injectable } from '@nestjs/common';
import { canMakeAnotherOffer, offerAmount, offerAmountProblems, offerExpiresAt, transition } from '@recourse/domain';
import { CommonErrors, newEvent, newRowId, ProblemException, requestTransaction } from '@recourse/platform';
import { DataSource } from 'typeorm';
import { stateOf } from '../cases/case.mapper';
import { CaseErrors } from '../cases/cases.errors';
import { CaseWriter } from '../cases/case-writer.service';
import { Clock } from '../deadlines/clock.service';
import { scheduleTimer } from '../deadlines/timers.repository';
import { InvestigationConfig } from '../investigation.config';
import { MakeOfferDto } from './dto/offer.dto';
import { OfferView } from './dto/offer.view';
import { offerData, toOfferView } from './offer.mapper';
import { OfferErrors } from './offers.errors';
import { insertOffer, offersOf } from './offers.repository';

/**
 * A merchant's offer to the customer (CONTRACT §10): made under the case's row lock, where decisions are
 * made, so an offer never opens on a decided case; its expiry is a durable timer (deadlines), its answer
 * comes from intake (OfferAnswersService).
 */
@Injectable()
export class OffersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly writer: CaseWriter,
    private readonly config: InvestigationConfig,
    private readonly clock: Clock,
  ) {}

  async make(merchantId: string, id: string, body: MakeOfferDto): Promise<OfferView> {
    const actor = { type: 'merchant' as const, id: merchantId };
    return requestTransaction(this.dataSource, async (manager) => {
      const row = await this.writer.lock(manager, id);
      // Another merchant's case does not exist for this one.
      if (row.merchant_id !== merchantId) throw new ProblemException(CaseErrors.NotFound);
      const problems = offerAmountProblems(body, row.amount);
      if (problems.length > 0) throw new ProblemException(CommonErrors.ValidationFailed, 'One or more fields are invalid', problems);
      if (!transition(stateOf(row), { type: 'make_offer' }).ok) {
        throw new ProblemException(CaseErrors.InvalidTransition, `an offer is made before a decision, and the case is ${row.status}`);
      }
      if (!canMakeAnotherOffer(await offersOf(manager, id))) throw new ProblemException(OfferErrors.AlreadyOpen);

      const now = this.clock.now();
      const clocks = this.config.clocks();
      const expiresAt = offerExpiresAt(now, this.config.offerResponseMs(), clocks.calendar);
      const offer = {
        id: newRowId(), case_id: id, merchant_id: merchantId, kind: body.kind, amount: offerAmount(body, row.amount), currency: row.currency,
        message: body.message, status: 'open' as const, expires_at: expiresAt, answered_by: null, settled_at: null, created_at: now,
      };
      await insertOffer(manager, offer);
      await scheduleTimer(manager, id, 'offer_response', expiresAt);
      const view = toOfferView({ ...offer, currency: row.currency });
      await this.writer.change(manager, row, { type: 'make_offer' }, {
        actor, action: 'case.offer_made', data: { offerId: offer.id, kind: offer.kind, amount: offer.amount, message: offer.message, expiresAt: view.expiresAt },
        events: [newEvent('case.offer_made', {
          disputeId: id, actor,
          data: { ...offerData({ ...offer, currency: row.currency }), message: offer.message, expiresAt: view.expiresAt, createdAt: view.createdAt, customerId: row.customer_id, locale: row.locale },
        }, now)],
      });
      return view;
    });
  }
}
