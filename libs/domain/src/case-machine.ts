import type { LiabilitySplit } from './ledger';
import { DisputeStatus } from '@recourse/contracts';

/**
 * The one state machine every case change goes through (CONTRACT §3, §5). Pure: given a case's state and
 * a command it returns the next state, or refuses with the reason. Services persist the result, audit it
 * and publish its events; they never set a status themselves.
 */
export type CaseStatus = Extract<DisputeStatus, 'under_review' | 'awaiting_merchant' | 'awaiting_customer' | 'approved' | 'rejected' | 'refunded' | 'withdrawn' | 'resolved'>;

export const CASE_STATUSES: readonly CaseStatus[] = ['under_review', 'awaiting_merchant', 'awaiting_customer', 'approved', 'rejected', 'refunded', 'withdrawn', 'resolved'];
export const OPEN_CASE_STATUSES: readonly CaseStatus[] = ['under_review', 'awaiting_merchant', 'awaiting_customer'];
/** `resolved`: the customer accepted a merchant's replacement or return (CONTRACT §10). */
export const FINAL_CASE_STATUSES: readonly CaseStatus[] = ['refunded', 'withdrawn', 'resolved'];

export interface PendingDecision {
  refundAmount: number;
  reasonCode: string;
  explanation: string;
  decidedBy: string;
  /** A held approval keeps its split, so the supervisor confirms what was decided. */
  liabilitySplit?: LiabilitySplit;
  /** …or who bears it whole, when the decider chose (an incident's resolution, CONTRACT §12). */
  liability?: 'merchant' | 'platform';
  /** Held by the resolution of this incident (CONTRACT §12). */
  incidentId?: string;
}

export interface CaseState {
  status: CaseStatus;
  pendingDecision: PendingDecision | null;
  appealed: boolean;
  flags: string[];
}

export type CaseCommand =
  | { type: 'request_merchant_evidence' }
  | { type: 'request_customer_info' }
  | { type: 'merchant_responded' }
  | { type: 'merchant_unresponsive' }
  | { type: 'customer_replied' }
  | { type: 'hold_for_four_eyes'; decision: PendingDecision }
  | { type: 'approve' }
  | { type: 'reject' }
  | { type: 'approve_pending'; by: string }
  | { type: 'decline_pending' }
  | { type: 'withdraw' }
  | { type: 'appeal' }
  | { type: 'refunded' }
  | { type: 'flag'; flag: string }
  /** A merchant's offer (CONTRACT §10): only before a decision; the case's status does not change. */
  | { type: 'make_offer' }
  /** The customer accepted a refund offer: an approval, never held for four eyes (a held decision gives way). */
  | { type: 'accept_refund_offer' }
  /** The customer accepted a replacement or a return: the case ends `resolved`, no money moves. */
  | { type: 'resolve_by_merchant' };

export type Transition = { ok: true; state: CaseState } | { ok: false; reason: 'invalid_transition' | 'four_eyes_required' };

const refuse = (reason: 'invalid_transition' | 'four_eyes_required' = 'invalid_transition'): Transition => ({ ok: false, reason });
const open = (state: CaseState) => OPEN_CASE_STATUSES.includes(state.status);
const withFlag = (flags: string[], flag: string) => (flags.includes(flag) ? flags : [...flags, flag]);

export function transition(state: CaseState, command: CaseCommand): Transition {
  const to = (changes: Partial<CaseState>): Transition => ({ ok: true, state: { ...state, ...changes } });
  switch (command.type) {
    case 'request_merchant_evidence':
      return open(state) && !state.pendingDecision ? to({ status: 'awaiting_merchant' }) : refuse();
    case 'request_customer_info':
      return open(state) && !state.pendingDecision ? to({ status: 'awaiting_customer' }) : refuse();
    case 'merchant_responded':
      return open(state) ? to({ status: state.status === 'awaiting_merchant' ? 'under_review' : state.status }) : refuse();
    case 'merchant_unresponsive':
      return state.status === 'awaiting_merchant' ? to({ status: 'under_review', flags: withFlag(state.flags, 'merchant_unresponsive') }) : refuse();
    case 'customer_replied':
      return state.status === 'awaiting_customer' ? to({ status: 'under_review' }) : refuse();
    case 'hold_for_four_eyes':
      return open(state) && !state.pendingDecision ? to({ status: 'under_review', pendingDecision: command.decision }) : refuse();
    case 'approve':
      return open(state) && !state.pendingDecision ? to({ status: 'approved' }) : refuse();
    case 'reject':
      return open(state) && !state.pendingDecision ? to({ status: 'rejected' }) : refuse();
    case 'approve_pending':
      if (!state.pendingDecision || !open(state)) return refuse();
      // Four eyes: the person who decided can never confirm their own decision.
      if (state.pendingDecision.decidedBy === command.by) return refuse('four_eyes_required');
      return to({ status: 'approved', pendingDecision: null });
    case 'decline_pending':
      return state.pendingDecision && open(state) ? to({ status: 'under_review', pendingDecision: null }) : refuse();
    case 'withdraw':
      return open(state) ? to({ status: 'withdrawn', pendingDecision: null }) : refuse();
    case 'appeal':
      return state.status === 'rejected' && !state.appealed ? to({ status: 'under_review', appealed: true }) : refuse();
    case 'refunded':
      return state.status === 'approved' || state.status === 'refunded' ? to({ status: 'refunded' }) : refuse();
    case 'flag':
      return to({ flags: withFlag(state.flags, command.flag) });
    case 'make_offer':
      return open(state) ? to({}) : refuse();
    case 'accept_refund_offer':
      return open(state) ? to({ status: 'approved', pendingDecision: null }) : refuse();
    case 'resolve_by_merchant':
      return open(state) ? to({ status: 'resolved', pendingDecision: null }) : refuse();
  }
}

/** Who bears an approved refund (CONTRACT §6): the platform when it decided alone, else the merchant. */
export function liabilityFor(input: { reason: string; flags: string[]; decidedBy: 'rule' | 'person' | 'merchant' | 'offer' }): 'merchant' | 'platform' {
  // The merchant's acceptance and the customer's acceptance of the merchant's own offer are the merchant's cost (CONTRACT §10).
  if (input.decidedBy === 'merchant' || input.decidedBy === 'offer') return 'merchant';
  if (input.decidedBy === 'rule' || input.reason === 'unrecognized_charge' || input.flags.includes('merchant_unresponsive')) return 'platform';
  return 'merchant';
}
