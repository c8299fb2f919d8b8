import { Actor, EventEnvelope, Liability } from '@recourse/contracts';
import { addDuration, CaseCommand, DisputeDeadlines, largerLeg, liabilityFor, LiabilitySplit, liabilitySplitProblems, SlaCalendar } from '@recourse/domain';
import { causedBy, CommonErrors, newEvent, ProblemException } from '@recourse/platform';
import { CaseChange } from '../cases/case-writer.service';
import { CaseRow } from '../cases/cases.repository';
import { CaseDecision } from '../cases/case.types';

export interface Decision {
  outcome: 'approve' | 'reject';
  refundAmount: number;
  reasonCode: string;
  explanation: string;
  /** A person's approval may share its cost out instead of the default rule of who bears it… */
  liabilitySplit?: LiabilitySplit;
  /** …or put it whole on one party (an incident's resolution, CONTRACT §12). */
  liability?: Liability;
  /** Decided by the resolution of this incident (CONTRACT §12): on the record, its audit entry and case.decided. */
  incidentId?: string;
  /** Who decided: a rule, a person, the merchant accepting liability, or the customer accepting the merchant's offer. */
  by: { actor: Actor; kind: 'rule' | 'person' | 'merchant' | 'offer' };
  /** The merchant's resolution rule approved it at triage (CONTRACT §10 prevention). */
  prevented?: true;
  /** The state-machine command (approve, reject, or approve_pending for a confirmed four-eyes hold). */
  command?: CaseCommand;
  cause?: Pick<EventEnvelope, 'id' | 'correlationId'>;
  extraEvents?: EventEnvelope[];
}

/**
 * A person's requested split, checked against the refund amount it shares out (CONTRACT §10): spread into
 * the decision, empty without one. Only an approval moves money, so a rejection cannot carry one.
 */
export function liabilitySplitOf(body: { outcome: 'approve' | 'reject'; liability?: LiabilitySplit }, refundAmount: number): { liabilitySplit?: LiabilitySplit } {
  const split = body.liability;
  if (!split) return {};
  const problems = body.outcome === 'approve'
    ? liabilitySplitProblems(split, refundAmount).map((problem) => ({ field: `liability.${problem.field}`, code: 'liability_split', message: problem.message }))
    : [{ field: 'liability', code: 'approval_only', message: 'only an approval shares out liability' }];
  if (problems.length > 0) throw new ProblemException(CommonErrors.ValidationFailed, 'One or more fields are invalid', problems);
  return { liabilitySplit: { merchant: split.merchant, platform: split.platform } };
}

/** What a decision reads of its case. */
export type DecidedCase = Pick<CaseRow, 'id' | 'amount' | 'reason' | 'flags' | 'currency' | 'customer_id' | 'merchant_id' | 'payment_id' | 'payment' | 'locale' | 'deadlines'>;

export interface DecisionEffects {
  command: CaseCommand;
  /** The case change: its audit entry, its columns and its events (`case.decided` last). */
  change: CaseChange & { columns: { decision: CaseDecision; decided_at: Date; outcome: 'rejected' | null; deadlines: DisputeDeadlines }; events: EventEnvelope[] };
  /** For a rejection, when the appeal window closes (a timer is due then). */
  appealBy?: string;
}

/**
 * The rules of a decision, pure: the decision record, who bears the refund, the appeal window, the audit
 * entry, the columns and `case.decided`. The HTTP paths (DecisionsService) and the triage batch's automatic
 * approvals apply the same effects.
 */
export function decisionEffects(row: DecidedCase, decision: Decision, now: Date, clocks: { appealWindowMs: number; calendar?: SlaCalendar }, confirmer?: Actor): DecisionEffects {
  const refundAmount = decision.outcome === 'approve' ? decision.refundAmount : 0;
  const split = decision.outcome === 'approve' ? decision.liabilitySplit : undefined;
  const liability = split ? largerLeg(split) : (decision.liability ?? liabilityFor({ reason: row.reason, flags: row.flags, decidedBy: decision.by.kind }));
  const appealBy = decision.outcome === 'reject' ? addDuration(now, clocks.appealWindowMs, clocks.calendar).toISOString() : undefined;
  const record: CaseDecision = { outcome: decision.outcome, refundAmount, currency: row.currency.trim(), reasonCode: decision.reasonCode, explanation: decision.explanation, liability, ...(split ? { liabilitySplit: { merchant: split.merchant, platform: split.platform } } : {}), decidedBy: decision.by.actor,
    ...(decision.prevented ? { prevented: true as const } : {}), ...(decision.incidentId ? { incidentId: decision.incidentId } : {}) };
  const event = newEvent('case.decided', {
    disputeId: row.id,
    actor: confirmer ?? decision.by.actor,
    ...(decision.cause ? causedBy(decision.cause) : {}),
    data: {
      ...record, customerId: row.customer_id, merchantId: row.merchant_id, paymentId: row.payment_id,
      paymentAmount: row.payment.amount, disputedAmount: row.amount, locale: row.locale, appealBy,
    },
  }, now);
  return {
    command: decision.command ?? { type: decision.outcome },
    change: {
      actor: confirmer ?? decision.by.actor,
      action: 'case.decided',
      data: { ...record, ...(confirmer ? { confirmedBy: confirmer } : {}), appealBy },
      columns: {
        // The confirmer stays on the case (not on case.decided): it may not rule on a merchant's appeal either.
        decision: confirmer ? { ...record, confirmedBy: confirmer } : record,
        decided_at: now,
        outcome: decision.outcome === 'reject' ? 'rejected' : null,
        deadlines: { ...row.deadlines, ...(appealBy ? { appealBy } : {}) },
      },
      events: [...(decision.extraEvents ?? []), event],
    },
    appealBy,
  };
}
