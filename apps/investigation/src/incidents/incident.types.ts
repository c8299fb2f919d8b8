import { Actor, DecisionOutcome, Liability } from '@recourse/contracts';

/**
 * A supervisor's resolution of an incident (CONTRACT §12) as the incident row keeps it: written before any
 * case is decided, so the resolver (or, after a restart, the resumer) decides every case from it.
 */
export interface IncidentResolution {
  outcome: DecisionOutcome;
  reasonCode: string;
  explanation: string;
  /** Who bears each approval; absent: the usual rule per case (CONTRACT §6). */
  liability?: Liability;
  requestedBy: Actor;
  requestedAt: string;
}

/** What a resolution request carries (the body of POST /v1/incidents/{id}/resolve). */
export type ResolutionRequest = Pick<IncidentResolution, 'outcome' | 'reasonCode' | 'explanation' | 'liability'>;
