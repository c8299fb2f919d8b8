import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { Actor, Event } from '@recourse/contracts';
import { provisionalCreditPostings, reversalPostings } from '@recourse/domain';
import { causedBy, Inbox, Outbox, ProblemException } from '@recourse/platform';
import { EntityManager } from 'typeorm';
import { FrozenAccountsService } from '../ledger/frozen-accounts.service';
import { LedgerService } from '../ledger/ledger.service';
import { lockPayment } from '../refunds/payment-lock';
import { insertRefundRow, lockRowOf, RefundRow } from '../refunds/refund.row';
import { Causation, causationOf, provisionalCreditEvent, REFUND_ACTOR, refundFailed } from '../refunds/refund-events';
import { checkRefund, PaymentState, RefundCheck } from '../refunds/refund-rules';
import { RefundErrors, RefundFailure } from '../refunds/refunds.errors';

/**
 * Provisional credits (Regulation E): when investigation has not decided by the deadline, the platform
 * credits the customer the disputed amount. A later approval makes it final (RefundBookingService), a
 * rejection takes it back by a reversing posting. A credit is a row of its own (kind `provisional_credit`,
 * at most one per dispute) and is never deleted.
 */
@Injectable()
export class ProvisionalCreditService {
  private readonly logger = new Logger(ProvisionalCreditService.name);

  constructor(
    private readonly inbox: Inbox,
    private readonly outbox: Outbox,
    private readonly ledger: LedgerService,
    private readonly frozen: FrozenAccountsService,
  ) {}

  async onDue(event: Event<'case.provisional_credit_due'>): Promise<void> {
    const disputeId = event.disputeId;
    if (!disputeId) throw new Error(`case.provisional_credit_due ${event.id} names no dispute`); // retried, then dead-lettered
    await this.inbox.once(event, (manager) => this.issue(manager, disputeId, event));
  }

  /**
   * A rejection takes back an outstanding provisional credit. It changes nothing once the dispute has a
   * refund (the first approval stands, even a failed one an admin will retry).
   */
  async onRejected(manager: EntityManager, disputeId: string, event: Event<'case.decided'>): Promise<void> {
    const context = { disputeId, eventId: event.id, correlationId: event.correlationId };
    const [found]: Array<Pick<RefundRow, 'payment_id'>> = await manager.query(
      `SELECT payment_id FROM refund.refunds WHERE dispute_id = $1 ORDER BY kind LIMIT 1`,
      [disputeId],
    );
    if (!found) return void this.logger.log(context, 'rejection: nothing was paid, nothing to take back');
    await lockPayment(manager, found.payment_id);
    const refund = await lockRowOf(manager, disputeId, 'refund');
    const credit = await lockRowOf(manager, disputeId, 'provisional_credit');
    if (refund) return void this.logger.warn({ ...context, refundId: refund.id }, 'rejection after an approval changes nothing');
    if (credit?.status === 'failed') return this.closeUnbooked(manager, credit);
    if (credit?.status !== 'succeeded') return void this.logger.log(context, 'rejection: no outstanding provisional credit');
    const postings = reversalPostings(provisionalCreditPostings({ customerId: credit.customer_id, amount: Number(credit.amount), currency: credit.currency.trim() }));
    await this.ledger.record(manager, credit.id, 'provisional_credit_reversal', postings);
    const [[reversed]]: [RefundRow[], number] = await manager.query(`UPDATE refund.refunds SET status = 'reversed', updated_at = now() WHERE id = $1 RETURNING *`, [credit.id]);
    await this.outbox.append(manager, [provisionalCreditEvent('provisional_credit.reversed', reversed, causedBy(event), REFUND_ACTOR)]);
    this.logger.log({ ...context, refundId: credit.id, amount: Number(credit.amount) }, 'provisional credit reversed');
  }

  /** A credit that failed and was not retried before the decision will never be booked: say so on it. */
  async closeUnbooked(manager: EntityManager, credit: RefundRow | undefined): Promise<void> {
    if (credit?.status !== 'failed' || credit.failure_code === RefundFailure.CaseDecided) return;
    await manager.query(`UPDATE refund.refunds SET failure_code = $2, failure_detail = $3, updated_at = now() WHERE id = $1`, [
      credit.id, RefundFailure.CaseDecided, `the case was decided before it could be booked (it had failed: ${credit.failure_code})`,
    ]);
  }

  /** An admin's retry of a failed provisional credit, in RefundBookingService.retry's transaction and locks. */
  async retry(manager: EntityManager, credit: RefundRow, payment: PaymentState, actor: Actor): Promise<void> {
    const decided = credit.failure_code === RefundFailure.CaseDecided || (await lockRowOf(manager, credit.dispute_id, 'refund'));
    if (decided) throw new ProblemException(RefundErrors.InvalidTransition, 'the case is decided: a provisional credit is no longer due');
    const check = await this.check(manager, { customerId: credit.customer_id, amount: Number(credit.amount), currency: credit.currency.trim() }, payment);
    if (!check.ok) throw new ProblemException(RefundErrors.InvalidTransition, `still cannot be booked: ${check.code}: ${check.detail}`);
    const [[booked]]: [RefundRow[], number] = await manager.query(
      `UPDATE refund.refunds SET status = 'succeeded', failure_code = NULL, failure_detail = NULL, updated_at = now() WHERE id = $1 RETURNING *`,
      [credit.id],
    );
    await this.book(manager, booked, causationOf(credit), actor);
  }

  private async issue(manager: EntityManager, disputeId: string, event: Event<'case.provisional_credit_due'>): Promise<void> {
    const due = event.data;
    const context = { disputeId, eventId: event.id, correlationId: event.correlationId };
    const payment = await lockPayment(manager, due.paymentId, { amount: due.paymentAmount, currency: due.currency });
    // Investigation asks only while the case is undecided; should an approval have been booked first, the
    // customer is (or will be, on retry) paid by it, and a credit now would pay twice.
    const refund = await lockRowOf(manager, disputeId, 'refund');
    if (refund) return void this.logger.warn({ ...context, refundId: refund.id }, 'provisional credit due after the decision; not issued');
    const check = await this.check(manager, due, payment);
    const credit = await insertRefundRow(manager, {
      id: randomUUID(), disputeId, paymentId: due.paymentId, customerId: due.customerId, merchantId: due.merchantId, kind: 'provisional_credit',
      amount: due.amount, disputedAmount: due.amount, currency: due.currency, liability: 'platform', locale: due.locale,
      failure: check.ok ? null : check, provisionalCreditId: null, causeEventId: event.id, correlationId: event.correlationId,
    });
    if (!credit) return void this.logger.log(context, 'dispute already has a provisional credit; nothing issued');
    if (check.ok) await this.book(manager, credit, causedBy(event), REFUND_ACTOR);
    else {
      await this.outbox.append(manager, [refundFailed(credit, causedBy(event))]);
      this.logger.warn({ ...context, refundId: credit.id, code: check.code }, 'provisional credit failed');
    }
  }

  /** The payment cap counts the credit like a refund; the platform and the customer must not be frozen. */
  private async check(manager: EntityManager, credit: { customerId: string; amount: number; currency: string }, payment: PaymentState): Promise<RefundCheck> {
    const check = checkRefund({ ...credit, disputedAmount: credit.amount }, payment);
    if (!check.ok) return check;
    const postings = provisionalCreditPostings(credit);
    const frozen = await this.frozen.frozenAmong(manager, postings.map((posting) => posting.account));
    if (frozen.length > 0) return { ok: false, code: RefundFailure.AccountFrozen, detail: `${frozen.join(', ')} is frozen` };
    return { ok: true };
  }

  private async book(manager: EntityManager, credit: RefundRow, causation: Causation, actor: Actor): Promise<void> {
    const postings = provisionalCreditPostings({ customerId: credit.customer_id, amount: Number(credit.amount), currency: credit.currency.trim() });
    await this.ledger.record(manager, credit.id, 'provisional_credit', postings);
    await this.outbox.append(manager, [provisionalCreditEvent('provisional_credit.issued', credit, causation, actor)]);
    this.logger.log({ disputeId: credit.dispute_id, correlationId: causation.correlationId, refundId: credit.id, amount: Number(credit.amount) }, 'provisional credit issued');
  }
}
