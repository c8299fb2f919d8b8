import type { LiabilitySplit } from './ledger';

/**
 * A case's stage beside its status (CONTRACT §10 merchant appeal): `dispute` until a merchant appeals an
 * approval it bears, `pre_arbitration` while a supervisor rules on the appeal, `ruled` for good. The status
 * and outcome the customer sees never change with the stage: the customer keeps the money either way.
 */
export type CaseStage = 'dispute' | 'pre_arbitration' | 'ruled';
export const CASE_STAGES: readonly CaseStage[] = ['dispute', 'pre_arbitration', 'ruled'];

export type RulingOutcome = 'uphold' | 'reverse';
export const RULING_OUTCOMES: readonly RulingOutcome[] = ['uphold', 'reverse'];

/** What the stage rules read of a case's decision. */
export interface StageDecision {
  outcome: 'approve' | 'reject';
  refundAmount: number;
  liability: 'merchant' | 'platform';
  liabilitySplit?: LiabilitySplit;
  decidedBy: { type: string; id: string };
  /** The supervisor who confirmed a decision held for four eyes. */
  confirmedBy?: { type: string; id: string };
  /** Approved by the merchant's own resolution rule: its own doing, like an acceptance. */
  prevented?: true;
}

export interface StageState {
  stage: CaseStage;
  decision: StageDecision | null;
  decidedAt: Date | null;
}

export type StageCommand =
  | { type: 'merchant_appeal'; at: Date; windowMs: number }
  | { type: 'rule'; by: string };

export type StageTransition = { ok: true; state: StageState } | { ok: false; reason: 'invalid_transition' | 'four_eyes_required' };

/** Only people decide as investigators or supervisors; rules act as `system`, merchants and customers as themselves. */
const PERSON_ACTORS = ['investigator', 'supervisor'];

/** What the merchant paid of an approval: all of it when it bears it, its leg of a split, nothing when the platform bears it. */
export function merchantCostOf(decision: Pick<StageDecision, 'outcome' | 'refundAmount' | 'liability' | 'liabilitySplit'>): number {
  if (decision.outcome !== 'approve') return 0;
  if (decision.liabilitySplit) return decision.liabilitySplit.merchant;
  return decision.liability === 'merchant' ? decision.refundAmount : 0;
}

/**
 * Until when the merchant may appeal, or null when this decision is not its to appeal: an approval decided by
 * a person (not the merchant's acceptance, an offer it made, its own resolution rule or a triage rule) that
 * the merchant paid some of. The window runs from the decision (MERCHANT_APPEAL_WINDOW).
 */
export function merchantAppealableUntil(state: Pick<StageState, 'decision' | 'decidedAt'>, windowMs: number): Date | null {
  const { decision, decidedAt } = state;
  if (!decision || !decidedAt || decision.prevented) return null;
  if (!PERSON_ACTORS.includes(decision.decidedBy.type)) return null;
  if (merchantCostOf(decision) <= 0) return null;
  return new Date(decidedAt.getTime() + windowMs);
}

/** Who made the decision: the decider and, for a four-eyes decision, the supervisor who confirmed it. Neither rules on its appeal. */
export function decisionMakers(decision: StageDecision): string[] {
  return decision.confirmedBy ? [decision.decidedBy.id, decision.confirmedBy.id] : [decision.decidedBy.id];
}

/**
 * The stage machine, pure: a merchant appeals once, from `dispute`, an approval it may appeal, before the
 * window closes; a supervisor who did not make the decision rules once, from `pre_arbitration`; `ruled` is final.
 */
export function stageTransition(state: StageState, command: StageCommand): StageTransition {
  const refuse = (reason: 'invalid_transition' | 'four_eyes_required' = 'invalid_transition'): StageTransition => ({ ok: false, reason });
  switch (command.type) {
    case 'merchant_appeal': {
      if (state.stage !== 'dispute') return refuse();
      const until = merchantAppealableUntil(state, command.windowMs);
      return until && command.at.getTime() <= until.getTime() ? { ok: true, state: { ...state, stage: 'pre_arbitration' } } : refuse();
    }
    case 'rule':
      if (state.stage !== 'pre_arbitration' || !state.decision) return refuse();
      if (decisionMakers(state.decision).includes(command.by)) return refuse('four_eyes_required');
      return { ok: true, state: { ...state, stage: 'ruled' } };
  }
}
