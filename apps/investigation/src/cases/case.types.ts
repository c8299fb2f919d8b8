import { Actor, DecisionOutcome, Liability } from '@recourse/contracts';
import { LiabilitySplit, RulingOutcome } from '@recourse/domain';
import { AttachmentView } from '@recourse/platform';

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
  /** The supervisor who confirmed a decision held for four eyes (kept on the case only; neither may rule on its appeal). */
  confirmedBy?: Actor;
  /** Approved by the merchant's own resolution rule at triage (CONTRACT §10 prevention). */
  prevented?: true;
  /** Decided by the resolution of this incident (CONTRACT §12). */
  incidentId?: string;
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

/** The merchant's appeal of an approval it bears (CONTRACT §10 pre-arbitration). */
export interface MerchantAppeal {
  reason: string;
  attachments: AttachmentView[];
  appealedAt: string;
  /** What the merchant paid of the approval, minor units. */
  merchantAmount: number;
}

/** A supervisor's ruling on the merchant's appeal. */
export interface CaseRuling {
  outcome: RulingOutcome;
  explanation: string;
  ruledBy: Actor;
  ruledAt: string;
}
