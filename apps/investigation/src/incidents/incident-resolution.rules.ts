import { EventEnvelope } from '@recourse/contracts';
import { appendEntry, ChainHead, PendingDecision, SlaCalendar, transition } from '@recourse/domain';
import { newEvent } from '@recourse/platform';
import { CaseAuditEntry } from '../audit/audit.repository';
import { stateOf } from '../cases/case.mapper';
import { CaseRow } from '../cases/cases.repository';
import { Decision, decisionEffects } from '../decisions/decision.rules';
import { IncidentResolution } from './incident.types';
import { ResolvedCaseColumns } from './incidents.repository';

export interface ResolutionSettings {
  /** FOUR_EYES_THRESHOLD: a person's approval above it waits for a second supervisor (CONTRACT §5). */
  fourEyesThreshold: number;
  clocks: { appealWindowMs: number; calendar?: SlaCalendar };
}

/** What one chunk of an incident's resolution writes, in one transaction. */
export interface ChunkPlan {
  cases: ResolvedCaseColumns[];
  audit: CaseAuditEntry[];
  events: EventEnvelope[];
  timers: { caseId: string; kind: 'appeal_window'; dueAt: string }[];
  /** Cases decided, with when they were filed (the time-to-resolution metric). */
  decided: { caseId: string; filedAt: Date }[];
  /** Approvals held for a second supervisor. */
  held: string[];
}

/**
 * An incident's resolution applied to a chunk of its undecided cases (locked by the caller), pure: each case
 * gets the supervisor's decision as its own (`decisionEffects`: record, liability, appeal window, audit entry,
 * case.decided), naming the incident; an approval above FOUR_EYES_THRESHOLD is held for a second supervisor
 * instead, as the same person's approval of that case alone would be. Each audit entry continues the case's
 * chain from the head on its row. A case the state machine refuses is left as it is.
 */
export function resolveChunk(rows: readonly CaseRow[], incidentId: string, resolution: IncidentResolution, now: Date, settings: ResolutionSettings): ChunkPlan {
  const plan: ChunkPlan = { cases: [], audit: [], events: [], timers: [], decided: [], held: [] };
  const actor = resolution.requestedBy;
  for (const row of rows) {
    const head: ChainHead | null = row.audit_head_seq > 0 ? { seq: row.audit_head_seq, hash: row.audit_head_hash } : null;
    const columns = { decision: row.decision, decided_at: row.decided_at, outcome: row.outcome, deadlines: row.deadlines };
    let entry: CaseAuditEntry;
    let state;
    if (resolution.outcome === 'approve' && row.amount > settings.fourEyesThreshold) {
      const pending: PendingDecision = {
        refundAmount: row.amount, reasonCode: resolution.reasonCode, explanation: resolution.explanation, decidedBy: actor.id,
        ...(resolution.liability ? { liability: resolution.liability } : {}), incidentId,
      };
      const moved = transition(stateOf(row), { type: 'hold_for_four_eyes', decision: pending });
      if (!moved.ok) continue;
      state = moved.state;
      entry = { ...appendEntry(head, { at: now.toISOString(), actor, action: 'case.decision_pending', data: pending }), caseId: row.id };
      plan.events.push(newEvent('case.decision_pending', { disputeId: row.id, actor, data: { ...pending } }, now));
      plan.held.push(row.id);
    } else {
      const decision: Decision = {
        outcome: resolution.outcome, refundAmount: row.amount, reasonCode: resolution.reasonCode, explanation: resolution.explanation,
        by: { actor, kind: 'person' }, incidentId, ...(resolution.liability ? { liability: resolution.liability } : {}),
      };
      const { command, change, appealBy } = decisionEffects(row, decision, now, settings.clocks);
      const moved = transition(stateOf(row), command);
      if (!moved.ok) continue;
      state = moved.state;
      Object.assign(columns, change.columns);
      entry = { ...appendEntry(head, { at: now.toISOString(), actor: change.actor, action: change.action, data: change.data }), caseId: row.id };
      plan.events.push(...change.events);
      if (appealBy) plan.timers.push({ caseId: row.id, kind: 'appeal_window', dueAt: appealBy });
      plan.decided.push({ caseId: row.id, filedAt: row.created_at });
    }
    plan.audit.push(entry);
    plan.cases.push({
      id: row.id, status: state.status, pending_decision: state.pendingDecision, ...columns, audit_head_seq: entry.seq, audit_head_hash: entry.hash,
    });
  }
  return plan;
}
