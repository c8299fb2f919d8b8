import { randomUUID } from 'node:crypto';
import { Actor, CaseDecidedData, Event, EventEnvelope } from '@recourse/contracts';
import { customerAccount, finalisationPostings, largerLeg, liabilitySplitProblems, merchantAccount, PLATFORM_ACCOUNT, Posting, provisionalCreditPostings, RefundPayer, refundPostings, reversalPostings } from '@recourse/domain';
import type { LedgerTransactionKind } from '../ledger/ledger.types';
import { Causation, causationOf, provisionalCreditEvent, REFUND_ACTOR, refundFailed, refundOutcome, refundSucceeded } from './refund-events.mapper';
import type { RefundDraft } from './refunds.repository';
import { RefundFailure, RefundFailureCode } from './refunds.errors';

export { refundOutcome };

export interface RefundRequest {
  amount: number;
  disputedAmount: number;
  currency: string;
}

/** The disputed payment as refund knows it, read under its row lock. */
export interface PaymentState {
  amount: number;
  currency: string;
  /** What stands refunded on the payment: succeeded refunds and outstanding provisional credits. */
  refundedTotal: number;
}

export type RefundCheck = { ok: true } | { ok: false; code: RefundFailureCode; detail: string };

/**
 * Whether a refund may be booked. The payment cap is the contract's invariant (CONTRACT §6: the refunded
 * total for a payment never exceeds its amount); the others refuse decisions that no ledger can carry.
 */
export function checkRefund(request: RefundRequest, payment: PaymentState): RefundCheck {
  if (!Number.isSafeInteger(request.amount) || request.amount < 1) {
    return { ok: false, code: RefundFailure.InvalidAmount, detail: `refund amount ${request.amount} is not a positive integer in minor units` };
  }
  if (request.amount > request.disputedAmount) {
    return { ok: false, code: RefundFailure.InvalidAmount, detail: `refund amount ${request.amount} exceeds the disputed amount ${request.disputedAmount}` };
  }
  if (request.currency !== payment.currency) {
    return { ok: false, code: RefundFailure.CurrencyMismatch, detail: `refund in ${request.currency} for a payment in ${payment.currency}` };
  }
  const after = payment.refundedTotal + request.amount;
  if (after > payment.amount) {
    return {
      ok: false,
      code: RefundFailure.PaymentOverRefunded,
      detail: `payment ${payment.amount} already refunded ${payment.refundedTotal}; ${request.amount} more would exceed it`,
    };
  }
  return { ok: true };
}

/** The events refund books money for. */
export type BookingEvent = Event<'case.decided'> | Event<'case.provisional_credit_due'>;
export const BOOKING_EVENT_TYPES = ['case.decided', 'case.provisional_credit_due'] as const;

/** What a run of bookings starts from, read under the payments' locks (RefundBookingService.load). */
export interface BookingSnapshot {
  /** The payments the run names, as stored (`refundedTotal`: their succeeded rows, of every dispute). */
  payments: ReadonlyMap<string, PaymentState>;
  /** Every row (refund and provisional credit) of the run's disputes. */
  rows: readonly RefundDraft[];
  /** Which accounts the run could post to are frozen. */
  frozen: ReadonlySet<string>;
}

/** What the run reads: payments to create (first sighting wins), to lock, disputes and accounts to read. */
export interface BookingNeeds {
  create: Array<{ paymentId: string; amount: number; currency: string }>;
  paymentIds: string[];
  disputeIds: string[];
  accounts: string[];
}

export interface LedgerEntry {
  refundId: string;
  kind: LedgerTransactionKind;
  postings: Posting[];
}

export interface BookingNote {
  level: 'log' | 'warn';
  message: string;
  context: Record<string, unknown>;
}

/** What a run writes, in order: one multi-row statement each. */
export interface BookingResult {
  /** New rows, in their final state. */
  inserts: RefundDraft[];
  /** Rows that existed, in their final state, when their status, failure or credit changed. */
  updates: RefundDraft[];
  /** Money movements in the order one-by-one application would have recorded them. */
  transactions: LedgerEntry[];
  /** Outgoing events in order. */
  events: EventEnvelope[];
  notes: BookingNote[];
}

/** What a booking event reads: the rows of its dispute, its payment, the accounts it could post to. */
export function needsOf(events: readonly BookingEvent[]): BookingNeeds {
  const create = new Map<string, { paymentId: string; amount: number; currency: string }>();
  const paymentIds = new Set<string>();
  const disputeIds = new Set<string>();
  const accounts = new Set<string>();
  for (const event of events) {
    const data = event.data;
    paymentIds.add(data.paymentId);
    if (event.disputeId) disputeIds.add(event.disputeId);
    const books = event.type === 'case.provisional_credit_due' || (event as Event<'case.decided'>).data.outcome === 'approve';
    if (!books) continue;
    if (!create.has(data.paymentId)) create.set(data.paymentId, { paymentId: data.paymentId, amount: data.paymentAmount, currency: data.currency });
    accounts.add(customerAccount(data.customerId)).add(PLATFORM_ACCOUNT);
    if (event.type === 'case.decided') accounts.add(merchantAccount(data.merchantId));
  }
  return { create: [...create.values()], paymentIds: [...paymentIds], disputeIds: [...disputeIds], accounts: [...accounts] };
}

/** How a refund will be booked, or why it cannot be. */
type RefundPlan =
  | { ok: true; credit: RefundDraft | undefined; reversal: Posting[]; settlement: Posting[] }
  | { ok: false; code: RefundFailureCode; detail: string };

interface RefundTerms extends RefundRequest, RefundPayer {
  customerId: string;
}

/**
 * The booking rules of refund, over the rows of a run's disputes and payments: events and admin retries
 * are applied one after the other in memory, each seeing what the ones before it did (the payment cap
 * counts the refunds of earlier events of the run), and the result is written at once. One event applied
 * alone is a run of one, so these rules are the only ones.
 */
export class RefundLedger {
  private readonly refunded = new Map<string, number>();
  private readonly byDispute = new Map<string, { refund?: RefundDraft; credit?: RefundDraft }>();
  private readonly before = new Map<string, string>();
  private readonly result: BookingResult = { inserts: [], updates: [], transactions: [], events: [], notes: [] };

  constructor(
    private readonly snapshot: BookingSnapshot,
    private readonly newId: () => string = randomUUID,
  ) {
    for (const [id, payment] of snapshot.payments) this.refunded.set(id, payment.refundedTotal);
    for (const row of snapshot.rows) {
      const draft = { ...row };
      this.before.set(draft.id, fingerprint(draft));
      this.rowsOf(draft.dispute_id)[draft.kind === 'refund' ? 'refund' : 'credit'] = draft;
    }
  }

  /** Applies `events` in order and answers what to write. */
  static run(events: readonly BookingEvent[], snapshot: BookingSnapshot, newId?: () => string): BookingResult {
    const ledger = new RefundLedger(snapshot, newId);
    for (const event of events) ledger.apply(event);
    return ledger.finish();
  }

  apply(event: BookingEvent): void {
    // Validated envelopes of both types name their dispute; should one not, it is retried, then dead-lettered.
    if (!event.disputeId) throw new Error(`${event.type} ${event.id} names no dispute`);
    if (event.type === 'case.provisional_credit_due') this.issueCredit(event as Event<'case.provisional_credit_due'>, event.disputeId);
    else if ((event as Event<'case.decided'>).data.outcome === 'approve') this.approve(event as Event<'case.decided'>, event.disputeId);
    else this.reject(event as Event<'case.decided'>, event.disputeId);
  }

  /**
   * An admin's retry of a failed refund or provisional credit: booked as an approval (or a due credit) would
   * be, now. Null when booked; else why it cannot be (nothing changes).
   */
  retry(id: string, actor: Actor): string | null {
    const row = [...this.byDispute.values()].flatMap((rows) => [rows.refund, rows.credit]).find((found) => found?.id === id);
    if (!row) return 'no such refund';
    if (row.status !== 'failed') return `only a failed refund is retried; this one is ${row.status}`;
    const rows = this.rowsOf(row.dispute_id);
    const payment = this.paymentOf(row.payment_id);
    if (row.kind === 'provisional_credit') {
      if (row.failure_code === RefundFailure.CaseDecided || rows.refund) return 'the case is decided: a provisional credit is no longer due';
      const check = this.checkCredit({ customerId: row.customer_id, amount: row.amount, currency: row.currency.trim() }, payment);
      if (!check.ok) return `still cannot be booked: ${check.code}: ${check.detail}`;
      this.setRow(row, { status: 'succeeded', failure_code: null, failure_detail: null });
      this.bookCredit(row, causationOf(row), actor);
      return null;
    }
    const plan = this.plan(termsOf(row), payment, rows.credit);
    if (!plan.ok) return `still cannot be booked: ${plan.code}: ${plan.detail}`;
    this.setRow(row, { status: 'succeeded', failure_code: null, failure_detail: null, provisional_credit_id: plan.credit?.id ?? null });
    // The retry completes the decision that failed, so its event joins that decision's causal tree.
    this.settle(row, plan, causationOf(row), actor);
    return null;
  }

  finish(): BookingResult {
    for (const rows of this.byDispute.values()) {
      for (const row of [rows.credit, rows.refund]) {
        const before = row && this.before.get(row.id);
        if (row && before !== undefined && before !== fingerprint(row)) this.result.updates.push(row);
      }
    }
    return this.result;
  }

  /**
   * A decision to approve, applied once: a second decision for the same dispute finds its refund row and
   * books nothing. The first approval stands; a later rejection cannot undo it. An approval of a dispute
   * the customer holds a provisional credit for makes that credit final instead of paying again.
   */
  private approve(event: Event<'case.decided'>, disputeId: string): void {
    const decision = event.data;
    const rows = this.rowsOf(disputeId);
    const context = { disputeId, eventId: event.id, correlationId: event.correlationId };
    if (rows.refund) return this.note('log', 'dispute already has a refund; decision books nothing', context);
    const terms: RefundTerms = { ...decision, amount: decision.refundAmount };
    const plan = this.plan(terms, this.paymentOf(decision.paymentId, decision.paymentAmount), rows.credit);
    const refund = this.insert({
      id: this.newId(), dispute_id: disputeId, payment_id: decision.paymentId, customer_id: decision.customerId, merchant_id: decision.merchantId,
      kind: 'refund', status: plan.ok ? 'succeeded' : 'failed', amount: decision.refundAmount, disputed_amount: decision.disputedAmount,
      currency: decision.currency, ...liabilityColumns(decision), failure_code: plan.ok ? null : plan.code, failure_detail: plan.ok ? null : plan.detail,
      provisional_credit_id: plan.ok ? (plan.credit?.id ?? null) : null, cause_event_id: event.id, correlation_id: event.correlationId, locale: decision.locale,
      prevented: decision.prevented === true,
    });
    this.closeUnbooked(rows.credit);
    if (plan.ok) this.settle(refund, plan, { correlationId: event.correlationId, causationId: event.id }, REFUND_ACTOR);
    else this.announceFailure(refund, { correlationId: event.correlationId, causationId: event.id });
  }

  /**
   * A rejection takes back an outstanding provisional credit. It changes nothing once the dispute has a
   * refund (the first approval stands, even a failed one an admin will retry).
   */
  private reject(event: Event<'case.decided'>, disputeId: string): void {
    const context = { disputeId, eventId: event.id, correlationId: event.correlationId };
    const { refund, credit } = this.rowsOf(disputeId);
    if (!refund && !credit) return this.note('log', 'rejection: nothing was paid, nothing to take back', context);
    if (refund) return this.note('warn', 'rejection after an approval changes nothing', { ...context, refundId: refund.id });
    if (credit?.status === 'failed') return this.closeUnbooked(credit);
    if (credit?.status !== 'succeeded') return this.note('log', 'rejection: no outstanding provisional credit', context);
    const postings = reversalPostings(provisionalCreditPostings({ customerId: credit.customer_id, amount: credit.amount, currency: credit.currency.trim() }));
    this.record(credit.id, 'provisional_credit_reversal', postings);
    this.setRow(credit, { status: 'reversed' });
    this.result.events.push(provisionalCreditEvent('provisional_credit.reversed', credit, { correlationId: event.correlationId, causationId: event.id }, REFUND_ACTOR));
    this.note('log', 'provisional credit reversed', { ...context, refundId: credit.id, amount: credit.amount });
  }

  /**
   * Provisional credits (Regulation E): when investigation has not decided by the deadline, the platform
   * credits the customer the disputed amount, at most once per dispute. Investigation asks only while the
   * case is undecided; should an approval have been booked first, a credit now would pay twice.
   */
  private issueCredit(event: Event<'case.provisional_credit_due'>, disputeId: string): void {
    const due = event.data;
    const context = { disputeId, eventId: event.id, correlationId: event.correlationId };
    const rows = this.rowsOf(disputeId);
    if (rows.refund) return this.note('warn', 'provisional credit due after the decision; not issued', { ...context, refundId: rows.refund.id });
    if (rows.credit) return this.note('log', 'dispute already has a provisional credit; nothing issued', context);
    const check = this.checkCredit(due, this.paymentOf(due.paymentId, due.paymentAmount));
    const credit = this.insert({
      id: this.newId(), dispute_id: disputeId, payment_id: due.paymentId, customer_id: due.customerId, merchant_id: due.merchantId,
      kind: 'provisional_credit', status: check.ok ? 'succeeded' : 'failed', amount: due.amount, disputed_amount: due.amount,
      currency: due.currency, liability: 'platform', split_merchant: null, split_platform: null, failure_code: check.ok ? null : check.code, failure_detail: check.ok ? null : check.detail,
      provisional_credit_id: null, cause_event_id: event.id, correlation_id: event.correlationId, locale: due.locale, prevented: false,
    });
    const causation = { correlationId: event.correlationId, causationId: event.id };
    if (check.ok) return this.bookCredit(credit, causation, REFUND_ACTOR);
    this.result.events.push(refundFailed(credit, causation));
    this.note('warn', 'provisional credit failed', { ...context, refundId: credit.id, code: credit.failure_code });
  }

  /** The payment cap counts a credit like a refund; the platform and the customer must not be frozen. */
  private checkCredit(credit: { customerId: string; amount: number; currency: string }, payment: PaymentState): RefundCheck {
    const check = checkRefund({ ...credit, disputedAmount: credit.amount }, payment);
    if (!check.ok) return check;
    return this.unfrozen(provisionalCreditPostings(credit));
  }

  private bookCredit(credit: RefundDraft, causation: Causation, actor: Actor): void {
    const postings = provisionalCreditPostings({ customerId: credit.customer_id, amount: credit.amount, currency: credit.currency.trim() });
    this.record(credit.id, 'provisional_credit', postings);
    this.result.events.push(provisionalCreditEvent('provisional_credit.issued', credit, causation, actor));
    this.note('log', 'provisional credit issued', { disputeId: credit.dispute_id, correlationId: causation.correlationId, refundId: credit.id, amount: credit.amount });
  }

  /**
   * Checks a refund against the payment and frozen accounts and works out its postings. A provisional
   * credit still outstanding is already with the customer: it is counted in the payment's refunded total,
   * so it leaves the cap check, and the refund makes it final rather than paying again.
   */
  private plan(terms: RefundTerms, payment: PaymentState, credit: RefundDraft | undefined): RefundPlan {
    const outstanding = credit?.status === 'succeeded' ? credit : undefined;
    const provisionalAmount = outstanding ? outstanding.amount : 0;
    const check = checkRefund(terms, { ...payment, refundedTotal: payment.refundedTotal - provisionalAmount });
    if (!check.ok) return check;
    const split = terms.liabilitySplit;
    // Investigation never sends a split that does not share out the amount; should one come, it is not guessed at.
    if (split && liabilitySplitProblems(split, terms.amount).length > 0) {
      return { ok: false, code: RefundFailure.InvalidAmount, detail: `liability split ${split.merchant} + ${split.platform} does not share out refund amount ${terms.amount}` };
    }
    const postings = outstanding
      ? finalisationPostings({ ...terms, refundAmount: terms.amount, provisionalAmount })
      : { reversal: [], settlement: refundPostings(terms) };
    // Giving back part of a provisional credit (the reversal) only takes money from the customer; a freeze
    // stops money reaching or leaving accounts through a refund, so only the settlement's accounts count.
    const unfrozen = this.unfrozen(postings.settlement);
    return unfrozen.ok ? { ok: true, credit: outstanding, ...postings } : unfrozen;
  }

  private unfrozen(postings: Posting[]): RefundCheck {
    const frozen = [...new Set(postings.map((posting) => posting.account))].filter((account) => this.snapshot.frozen.has(account)).sort();
    return frozen.length > 0 ? { ok: false, code: RefundFailure.AccountFrozen, detail: `${frozen.join(', ')} is frozen` } : { ok: true };
  }

  /**
   * Posts a planned refund. Making a provisional credit final: a partial approval gives back the difference
   * by a reversal of that part of the credit (customer debit, platform credit: the platform advanced it),
   * the credit becomes `finalised`, and the refund's own transaction moves what stays from the merchant to
   * the platform when the merchant bears it. The customer is credited once, by the provisional credit.
   */
  private settle(refund: RefundDraft, plan: Extract<RefundPlan, { ok: true }>, causation: Causation, actor: Actor): void {
    if (plan.credit) {
      if (plan.reversal.length > 0) this.record(plan.credit.id, 'provisional_credit_reversal', plan.reversal);
      this.setRow(plan.credit, { status: 'finalised' });
    }
    if (plan.settlement.length > 0) this.record(refund.id, 'refund', plan.settlement);
    this.result.events.push(refundSucceeded(refund, causation, actor));
    this.note('log', 'refund booked', {
      disputeId: refund.dispute_id, correlationId: causation.correlationId, refundId: refund.id, amount: refund.amount, finalised: plan.credit?.id,
    });
  }

  private announceFailure(refund: RefundDraft, causation: Causation): void {
    this.result.events.push(refundFailed(refund, causation));
    this.note('warn', 'refund failed', { disputeId: refund.dispute_id, correlationId: causation.correlationId, refundId: refund.id, code: refund.failure_code });
  }

  /** A credit that failed and was not retried before the decision will never be booked: say so on it. */
  private closeUnbooked(credit: RefundDraft | undefined): void {
    if (credit?.status !== 'failed' || credit.failure_code === RefundFailure.CaseDecided) return;
    this.setRow(credit, {
      failure_code: RefundFailure.CaseDecided,
      failure_detail: `the case was decided before it could be booked (it had failed: ${credit.failure_code})`,
    });
  }

  private rowsOf(disputeId: string): { refund?: RefundDraft; credit?: RefundDraft } {
    let rows = this.byDispute.get(disputeId);
    if (!rows) this.byDispute.set(disputeId, (rows = {}));
    return rows;
  }

  /**
   * The payment with what stands refunded on it now. A payment's amount never changes; should an event
   * disagree about it, the smaller cap is the safe one.
   */
  private paymentOf(paymentId: string, seenAmount = Number.MAX_SAFE_INTEGER): PaymentState {
    const payment = this.snapshot.payments.get(paymentId);
    // The run created every payment an approval or a due credit names, under its lock.
    if (!payment) throw new Error(`payment ${paymentId} was not read under its lock`);
    return { amount: Math.min(payment.amount, seenAmount), currency: payment.currency, refundedTotal: this.refunded.get(paymentId) ?? 0 };
  }

  private insert(row: RefundDraft): RefundDraft {
    this.rowsOf(row.dispute_id)[row.kind === 'refund' ? 'refund' : 'credit'] = row;
    this.result.inserts.push(row);
    this.countRefunded(row, +1);
    return row;
  }

  private setRow(row: RefundDraft, change: Partial<RefundDraft>): void {
    this.countRefunded(row, -1);
    Object.assign(row, change);
    this.countRefunded(row, +1);
  }

  /** Keeps each payment's refunded total (its succeeded rows) as the run changes rows. */
  private countRefunded(row: RefundDraft, sign: 1 | -1): void {
    if (row.status === 'succeeded') this.refunded.set(row.payment_id, (this.refunded.get(row.payment_id) ?? 0) + sign * row.amount);
  }

  private record(refundId: string, kind: LedgerTransactionKind, postings: Posting[]): void {
    this.result.transactions.push({ refundId, kind, postings });
  }

  private note(level: BookingNote['level'], message: string, context: Record<string, unknown>): void {
    this.result.notes.push({ level, message, context });
  }
}

function termsOf(row: RefundDraft): RefundTerms {
  return {
    amount: row.amount, disputedAmount: row.disputed_amount, currency: row.currency.trim(), customerId: row.customer_id,
    merchantId: row.merchant_id, ...payerOf(row),
  };
}

/** Who bears a decision's refund as its row records it: one party, or `split` with both legs. */
function liabilityColumns(decision: Pick<CaseDecidedData, 'liability' | 'liabilitySplit'>): Pick<RefundDraft, 'liability' | 'split_merchant' | 'split_platform'> {
  const split = decision.liabilitySplit;
  return split ? { liability: 'split', split_merchant: split.merchant, split_platform: split.platform } : { liability: decision.liability, split_merchant: null, split_platform: null };
}

/** The payer a row's columns describe, for booking it again (a retry). */
function payerOf(row: Pick<RefundDraft, 'liability' | 'split_merchant' | 'split_platform'>): Pick<RefundPayer, 'liability' | 'liabilitySplit'> {
  if (row.liability !== 'split') return { liability: row.liability };
  const liabilitySplit = { merchant: row.split_merchant ?? 0, platform: row.split_platform ?? 0 };
  return { liability: largerLeg(liabilitySplit), liabilitySplit };
}

function fingerprint(row: RefundDraft): string {
  return JSON.stringify([row.status, row.failure_code, row.failure_detail, row.provisional_credit_id]);
}
