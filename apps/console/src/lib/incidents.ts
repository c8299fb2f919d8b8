// The incident page's arithmetic, kept pure: where each of an incident's cases stands, and so what a
// resolution would do (CONTRACT §12: it decides every undecided case; cases already decided are left alone).
import { OPEN_STATUSES } from '../api/cases-api';
import type { Incident } from '../api/incidents-api';

/** The parts of a case the standing reads (a queue summary or a whole case). */
interface CaseStanding {
  status: string;
  pendingDecision: unknown;
}

/** `undecided`: a resolution decides it; `four_eyes`: an approval waits for a second supervisor; `decided`: left alone. */
export type Standing = 'undecided' | 'four_eyes' | 'decided';

/** One case's standing, as the service counts it in the incident's `counts`. */
export function standing(item: CaseStanding): Standing {
  if (item.pendingDecision) return 'four_eyes';
  return (OPEN_STATUSES as readonly string[]).includes(item.status) ? 'undecided' : 'decided';
}

export interface ResolutionImpact {
  /** Cases the resolution would decide, each with its own decision (and refund, when approving). */
  undecided: number;
  /** Cases it leaves as they are: decided already, or waiting for four eyes. */
  leftAlone: number;
}

/**
 * What a resolution would do, from the incident's counts: the service counts them by the very predicate the
 * resolution decides by, so the page never reads every case of a 5,000-case incident to say it.
 */
export function resolutionImpact(counts: Incident['counts']): ResolutionImpact {
  return { undecided: counts.undecided, leftAlone: counts.heldForFourEyes + counts.decided };
}
