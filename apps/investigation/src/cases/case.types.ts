import { Actor, DecisionOutcome, Liability } from '@recourse/contracts';
import { LiabilitySplit } from '@recourse/domain';

/** A case's decision as its `decision` column keeps it (and `case.decided` announces it). */
export interface CaseDecision {
  outcome: DecisionOutcome;
  /** Minor units; 0 for a rejection. */
  refundAmount: number;
  currency: string;
  reasonCode: string;
  explanation: string;
  /** With a split, the larger leg (what `case.decided`'s `liability` says to consumers that predate splits). */
  liability: Liability;
  /** An approval whose cost the decider shared out (CONTRACT §10). */
  liabilitySplit?: LiabilitySplit;
  decidedBy: Actor;
  /** Approved by the merchant's own resolution rule at triage (CONTRACT §10 prevention). */
  prevented?: true;
}

/** What the investigator asked the merchant for, and by when (`evidence_request`). */
export interface EvidenceRequest {
  message: string;
  dueBy: string;
  requestedAt: string;
}

/** A call note records a phone conversation. */
export type NoteKind = 'note' | 'call';

export type MerchantResponseKind = 'evidence' | 'accepted';

/** The customer's rating of a finished dispute, given once (CONTRACT §11), as intake announced it. */
export interface CaseFeedback {
  rating: number;
  comment: string | null;
  at: string;
}
