import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { Actor, Event } from '@recourse/contracts';
import { finalisationPostings, Posting, refundPostings } from '@recourse/domain';
import { causedBy, Inbox, Outbox, Principal, ProblemException } from '@recourse/platform';
import { EntityManager } from 'typeorm';
import { FrozenAccountsService } from '../ledger/frozen-accounts.service';
import { LedgerService } from '../ledger/ledger.service';
import { ProvisionalCreditService } from '../provisional-credits/provisional-credit.service';
import { lockPayment } from './payment-lock';
import { insertRefundRow, lockRowOf, RefundRow } from './refund.row';
import { Causation, causationOf, REFUND_ACTOR, refundFailed, refundSucceeded } from './refund-events';
import { checkRefund, PaymentState } from './refund-rules';
import { RefundErrors, RefundFailure, RefundFailureCode } from './refunds.errors';

interface RefundRequest {
  amount: number;
  disputedAmount: number;
  currency: string;
  customerId: string;
  merchantId: string;
  liability: 'merchant' | 'platform';
}

/** How a refund will be booked, decided under the payment's lock, or why it cannot be. */
type RefundPlan =
  | { ok: true; credit: RefundRow | undefined; reversal: Posting[]; settlement: Posting[] }
  | { ok: false; code: RefundFailureCode; detail: string };

/**
 * Books refunds: the money, its ledger transactions and the event that announces it, in one transaction.
 * A booking either succeeds whole (refund row, balanced postings, `refund.succeeded`) or leaves a failed
 * refund and `refund.failed` with nothing posted. An approval of a dispute the customer already holds a
 * provisional credit for makes that credit final instead of paying again.
 */
@Injectable()
export class RefundBookingService {
  private readonly logger = new Logger(RefundBookingService.name);

  constructor(
    private readonly inbox: Inbox,
    private readonly outbox: Outbox,
    private readonly ledger: LedgerService,
    private readonly frozen: FrozenAccountsService,
    private readonly credits: ProvisionalCreditService,
  ) {}

  /**
   * A decision, applied once: a redelivered event stops at the inbox, and a second decision for the same
   * dispute (another event id) meets the refund row's unique constraint. The first approval stands; a later
   * rejection cannot undo it (that would be a refund reversal, which no decision triggers).
   */
  async onDecided(event: Event<'case.decided'>): Promise<void> {
    const disputeId = event.disputeId;
    if (!disputeId) throw new Error(`case.decided ${event.id} names no dispute`); // retried, then dead-lettered
    await this.inbox.once(event, (manager) =>
      event.data.outcome === 'approve' ? this.approve(manager, disputeId, event) : this.credits.onRejected(manager, disputeId, event),
    );
  }

  /** Books a failed refund (or provisional credit) again, if it now can be; it is unchanged otherwise. In the caller's transaction. */
  async retry(manager: EntityManager, principal: Principal, id: string): Promise<void> {
    const [found]: Array<Pick<RefundRow, 'payment_id' | 'dispute_id' | 'kind'>> = await manager.query(
      'SELECT payment_id, dispute_id, kind FROM refund.refunds WHERE id = $1',
      [id],
    );
    if (!found) throw new ProblemException(RefundErrors.NotFound);
    // The same lock order as a booking from Kafka (payment, then its rows), so the two cannot deadlock.
    const payment = await lockPayment(manager, found.payment_id);
    const row = (await lockRowOf(manager, found.dispute_id, found.kind))!;
    if (row.status !== 'failed') throw new ProblemException(RefundErrors.InvalidTransition, `only a failed refund is retried; this one is ${row.status}`);
    const actor: Actor = { type: 'admin', id: principal.sub };
    if (row.kind === 'provisional_credit') return this.credits.retry(manager, row, payment, actor);
    const credit = await lockRowOf(manager, row.dispute_id, 'provisional_credit');
    const plan = await this.plan(manager, requestOf(row), payment, credit);
    if (!plan.ok) throw new ProblemException(RefundErrors.InvalidTransition, `still cannot be booked: ${plan.code}: ${plan.detail}`);
    // An UPDATE … RETURNING answers [rows, count] through TypeORM.
    const [[booked]]: [RefundRow[], number] = await manager.query(
      `UPDATE refund.refunds SET status = 'succeeded', failure_code = NULL, failure_detail = NULL, provisional_credit_id = $2, updated_at = now()
       WHERE id = $1 RETURNING *`,
      [id, plan.credit?.id ?? null],
    );
    // The retry completes the decision that failed, so its event joins that decision's causal tree.
    await this.settle(manager, booked, plan, causationOf(row), actor);
  }

  private async approve(manager: EntityManager, disputeId: string, event: Event<'case.decided'>): Promise<void> {
    const decision = event.data;
    const payment = await lockPayment(manager, decision.paymentId, { amount: decision.paymentAmount, currency: decision.currency });
    const credit = await lockRowOf(manager, disputeId, 'provisional_credit');
    const plan = await this.plan(manager, { ...decision, amount: decision.refundAmount }, payment, credit);
    const refund = await insertRefundRow(manager, {
      id: randomUUID(), disputeId, paymentId: decision.paymentId, customerId: decision.customerId, merchantId: decision.merchantId, kind: 'refund',
      amount: decision.refundAmount, disputedAmount: decision.disputedAmount, currency: decision.currency, liability: decision.liability,
      locale: decision.locale, failure: plan.ok ? null : plan, provisionalCreditId: plan.ok ? (plan.credit?.id ?? null) : null,
      causeEventId: event.id, correlationId: event.correlationId,
    });
    if (!refund) {
      this.logger.log({ disputeId, eventId: event.id, correlationId: event.correlationId }, 'dispute already has a refund; decision books nothing');
      return;
    }
    await this.credits.closeUnbooked(manager, credit);
    if (plan.ok) await this.settle(manager, refund, plan, causedBy(event), REFUND_ACTOR);
    else await this.announceFailure(manager, refund, causedBy(event));
  }

  /**
   * Checks the refund against the payment and frozen accounts and works out its postings. A provisional
   * credit still outstanding is already with the customer: it is counted in the payment's refunded total,
   * so it leaves the cap check, and the refund makes it final rather than paying again.
   */
  private async plan(manager: EntityManager, request: RefundRequest, payment: PaymentState, credit: RefundRow | undefined): Promise<RefundPlan> {
    const outstanding = credit?.status === 'succeeded' ? credit : undefined;
    const provisionalAmount = outstanding ? Number(outstanding.amount) : 0;
    const check = checkRefund(request, { ...payment, refundedTotal: payment.refundedTotal - provisionalAmount });
    if (!check.ok) return check;
    const postings = outstanding
      ? finalisationPostings({ ...request, refundAmount: request.amount, provisionalAmount })
      : { reversal: [], settlement: refundPostings(request) };
    // Giving back part of a provisional credit (the reversal) only takes money from the customer; a freeze
    // stops money reaching or leaving accounts through a refund, so only the settlement's accounts count.
    const frozen = await this.frozen.frozenAmong(manager, postings.settlement.map((posting) => posting.account));
    if (frozen.length > 0) return { ok: false, code: RefundFailure.AccountFrozen, detail: `${frozen.join(', ')} is frozen` };
    return { ok: true, credit: outstanding, ...postings };
  }

  /**
   * Posts a planned refund. Making a provisional credit final: a partial approval gives back the difference
   * by a reversal of that part of the credit (customer debit, platform credit: the platform advanced it),
   * the credit becomes `finalised`, and the refund's own transaction moves what stays from the merchant to
   * the platform when the merchant bears it. The customer is credited once, by the provisional credit.
   */
  private async settle(manager: EntityManager, refund: RefundRow, plan: Extract<RefundPlan, { ok: true }>, causation: Causation, actor: Actor): Promise<void> {
    if (plan.credit) {
      if (plan.reversal.length > 0) await this.ledger.record(manager, plan.credit.id, 'provisional_credit_reversal', plan.reversal);
      await manager.query(`UPDATE refund.refunds SET status = 'finalised', updated_at = now() WHERE id = $1`, [plan.credit.id]);
    }
    if (plan.settlement.length > 0) await this.ledger.record(manager, refund.id, 'refund', plan.settlement);
    await this.outbox.append(manager, [refundSucceeded(refund, causation, actor)]);
    this.logger.log(
      { disputeId: refund.dispute_id, correlationId: causation.correlationId, refundId: refund.id, amount: Number(refund.amount), finalised: plan.credit?.id },
      'refund booked',
    );
  }

  private async announceFailure(manager: EntityManager, refund: RefundRow, causation: Causation): Promise<void> {
    await this.outbox.append(manager, [refundFailed(refund, causation)]);
    this.logger.warn({ disputeId: refund.dispute_id, correlationId: causation.correlationId, refundId: refund.id, code: refund.failure_code }, 'refund failed');
  }
}

function requestOf(row: RefundRow): RefundRequest {
  return {
    amount: Number(row.amount), disputedAmount: Number(row.disputed_amount), currency: row.currency.trim(), customerId: row.customer_id,
    merchantId: row.merchant_id, liability: row.liability,
  };
}
