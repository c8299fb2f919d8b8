import { StageState } from '@recourse/domain';
import { CaseRow } from '../cases/cases.repository';

/** What the stage rules read of a case. */
export function stageStateOf(row: Pick<CaseRow, 'stage' | 'decision' | 'decided_at'>): StageState {
  return { stage: row.stage, decision: row.decision, decidedAt: row.decided_at };
}
