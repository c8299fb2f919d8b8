// The incident page's arithmetic, kept pure: where each of an incident's cases stands, and so what a
// resolution would do (CONTRACT §12: it decides every undecided case; cases already decided are left alone).
import { OPEN_STATUSES } from '../api/cases-api';

/** The parts of a case the counts read (a queue summary or a whole case). */
interface CaseStanding {
  status: string;
  pendingDecision: unknown;
}

/** `undecided`: a resolution decides it; `four_eyes`: an approval waits for a second supervisor; `decided`: left alone. */
export type Standing = 'undecided' | 'four_eyes' | 'decided';

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

export function resolutionImpact(cases: readonly CaseStanding[]): ResolutionImpact {
  const undecided = cases.filter((item) => standing(item) === 'undecided').length;
  return { undecided, leftAlone: cases.length - undecided };
}
