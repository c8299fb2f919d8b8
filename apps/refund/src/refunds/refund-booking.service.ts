import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { Actor, Event } from '@recourse/contracts';
import { refundPostings } from '@recourse/domain';
import { causedBy, Inbox, newEvent, Outbox, Principal, ProblemException } from '@recourse/platform';
import { DataSource, EntityManager } from 'typeorm';
import { LedgerService } from '../ledger/ledger.service';
import { lockPayment } from './payment-lock';
import { RefundRow } from './refund.row';
import { checkRefund, refundOutcome } from './refund-rules';
import { RefundErrors } from './refunds.errors';

const REFUND_ACTOR: Actor = { type: 'system', id: 'refund' };

interface Causation {
  correlationId: string;
  causationId: string;
}

/**
 * Books refunds: the money, its ledger transaction and the event that announces it, in one transaction.
 * A booking either succeeds whole (refund row, balanced postings, `refund.succeeded`) or leaves a failed
 * refund and `refund.failed` with nothing posted.
 */
@Injectable()
export class RefundBookingService {
  private readonly logger = new Logger(RefundBookingService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly inbox: Inbox,
    private readonly outbox: Outbox,
    private readonly ledger: LedgerService,
  ) {}

  /**
   * An approval pays the customer back, once per dispute: a redelivered event stops at the inbox, and a
   * second decision for the same dispute (another event id) meets the refund row's unique constraint.
   */
  async onDecided(event: Event<'case.decided'>): Promise<void> {
    if (event.data.outcome !== 'approve') return; // a rejection moves no money in the skeleton
    const disputeId = event.disputeId;
    if (!disputeId) throw new Error(`case.decided ${event.id} names no dispute`); // retried, then dead-lettered
    const decision = event.data;
    await this.inbox.once(event, async (manager) => {
      const payment = await lockPayment(manager, decision.paymentId, { amount: decision.paymentAmount, currency: decision.currency });
      const check = checkRefund({ amount: decision.refundAmount, disputedAmount: decision.disputedAmount, currency: decision.currency }, payment);
      const [refund]: RefundRow[] = await manager.query(
        `INSERT INTO refund.refunds (id, dispute_id, payment_id, customer_id, merchant_id, kind, status, amount, disputed_amount, currency,
           liability, failure_code, failure_detail, cause_event_id, correlation_id, locale)
         VALUES ($1, $2, $3, $4, $5, 'refund', $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
         ON CONFLICT (dispute_id, kind) DO NOTHING RETURNING *`,
        [randomUUID(), disputeId, decision.paymentId, decision.customerId, decision.merchantId, check.ok ? 'succeeded' : 'failed',
          decision.refundAmount, decision.disputedAmount, decision.currency, decision.liability,
          check.ok ? null : check.code, check.ok ? null : check.detail, event.id, event.correlationId, decision.locale],
      );
      if (!refund) {
        this.logger.log({ disputeId, eventId: event.id, correlationId: event.correlationId }, 'dispute already has a refund; decision books nothing');
        return;
      }
      if (check.ok) await this.book(manager, refund, causedBy(event), REFUND_ACTOR);
      else await this.announceFailure(manager, refund, causedBy(event));
    });
  }

  /** Books a failed refund again, if the payment now allows it; the refund is unchanged otherwise. */
  async retry(principal: Principal, id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const [found]: Array<Pick<RefundRow, 'payment_id'>> = await manager.query('SELECT payment_id FROM refund.refunds WHERE id = $1', [id]);
      if (!found) throw new ProblemException(RefundErrors.NotFound);
      // The same lock order as a booking from Kafka (payment, then refund), so the two cannot deadlock.
      const payment = await lockPayment(manager, found.payment_id);
      const [refund]: RefundRow[] = await manager.query('SELECT * FROM refund.refunds WHERE id = $1 FOR UPDATE', [id]);
      if (refund.status !== 'failed' || refund.kind !== 'refund') {
        throw new ProblemException(RefundErrors.InvalidTransition, `only a failed refund is retried; this one is ${refund.status}`);
      }
      const check = checkRefund({ amount: Number(refund.amount), disputedAmount: Number(refund.disputed_amount), currency: refund.currency.trim() }, payment);
      if (!check.ok) throw new ProblemException(RefundErrors.InvalidTransition, `still cannot be booked: ${check.code}: ${check.detail}`);
      await manager.query(`UPDATE refund.refunds SET status = 'succeeded', failure_code = NULL, failure_detail = NULL, updated_at = now() WHERE id = $1`, [id]);
      // The retry completes the decision that failed, so its event joins that decision's causal tree.
      await this.book(manager, refund, { correlationId: refund.correlation_id, causationId: refund.cause_event_id }, { type: 'admin', id: principal.sub });
    });
  }

  private async book(manager: EntityManager, refund: RefundRow, causation: Causation, actor: Actor): Promise<void> {
    const amount = Number(refund.amount);
    const currency = refund.currency.trim();
    const postings = refundPostings({ customerId: refund.customer_id, merchantId: refund.merchant_id, liability: refund.liability, amount, currency });
    await this.ledger.record(manager, refund.id, 'refund', postings);
    const disputedAmount = Number(refund.disputed_amount);
    // One refund per dispute (the unique constraint), so what the dispute has been refunded is this refund.
    const refundedTotal = amount;
    await this.outbox.append(manager, [
      newEvent('refund.succeeded', {
        disputeId: refund.dispute_id,
        actor,
        ...causation,
        data: {
          refundId: refund.id, kind: 'refund', amount, currency, liability: refund.liability, customerId: refund.customer_id,
          merchantId: refund.merchant_id, paymentId: refund.payment_id, locale: refund.locale, refundedTotal, disputedAmount,
          outcome: refundOutcome(refundedTotal, disputedAmount),
        },
      }),
    ]);
    this.logger.log({ disputeId: refund.dispute_id, correlationId: causation.correlationId, refundId: refund.id, amount, currency }, 'refund booked');
  }

  private async announceFailure(manager: EntityManager, refund: RefundRow, causation: Causation): Promise<void> {
    const failure = { code: refund.failure_code!, detail: refund.failure_detail ?? '' };
    await this.outbox.append(manager, [
      newEvent('refund.failed', {
        disputeId: refund.dispute_id,
        actor: REFUND_ACTOR,
        ...causation,
        data: {
          refundId: refund.id, kind: refund.kind, customerId: refund.customer_id, merchantId: refund.merchant_id, locale: refund.locale,
          ...failure, amount: Number(refund.amount), currency: refund.currency.trim(),
        },
      }),
    ]);
    this.logger.warn({ disputeId: refund.dispute_id, correlationId: causation.correlationId, refundId: refund.id, ...failure }, 'refund failed');
  }
}
