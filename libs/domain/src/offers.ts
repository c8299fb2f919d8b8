import { OfferAnswer, OfferKind, OfferStatus } from '@recourse/contracts';
import { addDuration, SlaCalendar } from './deadlines';

/**
 * A merchant's offers to the customer (CONTRACT §10), pure: what may be offered and for how much, when it
 * expires, and what the customer's answer does. The case machine says whether the case still allows an offer
 * (`make_offer`) and what an accepted one makes of the case.
 */

export interface OfferRequest {
  kind: OfferKind;
  amount?: number;
}

export interface OfferFieldProblem {
  field: 'amount';
  code: string;
  message: string;
}

const REFUND_KINDS: readonly OfferKind[] = ['full_refund', 'partial_refund'];

/** A refund offer moves money when accepted; a replacement or a return ends the dispute without any. */
export function isRefundOffer(kind: OfferKind): boolean {
  return REFUND_KINDS.includes(kind);
}

/**
 * The amount rules: only a partial refund names an amount, and it is less than the disputed amount (a full
 * refund is the `full_refund` kind); every other kind leaves it out.
 */
export function offerAmountProblems(request: OfferRequest, disputedAmount: number): OfferFieldProblem[] {
  const { kind, amount } = request;
  if (kind !== 'partial_refund') {
    return amount === undefined ? [] : [{ field: 'amount', code: 'not_allowed', message: `amount is given for partial_refund offers only, not ${kind}` }];
  }
  if (amount === undefined) return [{ field: 'amount', code: 'required', message: 'a partial_refund offer names its amount' }];
  if (!Number.isSafeInteger(amount) || amount < 1 || amount >= disputedAmount) {
    return [{ field: 'amount', code: 'out_of_range', message: `amount must be a whole number of minor units from 1 to ${disputedAmount - 1}, less than the disputed amount` }];
  }
  return [];
}

/** What the offer is worth in money: the disputed amount in full, the part offered, or nothing (goods). */
export function offerAmount(request: OfferRequest, disputedAmount: number): number | null {
  if (request.kind === 'full_refund') return disputedAmount;
  if (request.kind === 'partial_refund') return request.amount ?? null;
  return null;
}

/** An offer stays open SLA_OFFER_RESPONSE after it is made, counted in the SLA calendar. */
export function offerExpiresAt(madeAt: Date, responseMs: number, calendar?: SlaCalendar): Date {
  return addDuration(madeAt, responseMs, calendar);
}

/** One open offer at a time: another may be made once the last was answered or expired. */
export function canMakeAnotherOffer(offers: readonly { status: OfferStatus }[]): boolean {
  return !offers.some((offer) => offer.status === 'open');
}

export interface AnsweredOffer {
  status: OfferStatus;
  expiresAt: Date | string;
}

/**
 * Whether the customer's answer still applies, decided where the offer's clock and the decision live: only an
 * open offer, before it expires, on a case still undecided. Otherwise the answer is refused with the offer's
 * real status; an offer still open on a closed case, or past its time, has lapsed: `expired`.
 */
export function answerVerdict(offer: AnsweredOffer, caseOpen: boolean, now: Date): { ok: true } | { ok: false; status: OfferStatus } {
  if (offer.status !== 'open') return { ok: false, status: offer.status };
  if (!caseOpen || now.getTime() >= new Date(offer.expiresAt).getTime()) return { ok: false, status: 'expired' };
  return { ok: true };
}

/** What an applied answer does to the case: nothing (declined), an approval of the offer's amount, or the end. */
export function answerEffect(kind: OfferKind, answer: OfferAnswer): 'none' | 'approve' | 'resolve' {
  if (answer === 'declined') return 'none';
  return isRefundOffer(kind) ? 'approve' : 'resolve';
}
