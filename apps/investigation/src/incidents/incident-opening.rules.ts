import { Actor } from '@recourse/contracts';
import { appendEntry, ChainHead } from '@recourse/domain';
import { CaseAuditEntry } from '../audit/audit.repository';

export const INCIDENTS_ACTOR: Actor = { type: 'system', id: 'incidents' };

/** A new case that triage left in the queue: it may open or join its merchant's incident for its reason. */
export interface IncidentCandidate {
  caseId: string;
  merchantId: string;
  reason: string;
  filedAt: Date;
}

export interface IncidentSettings {
  /** INCIDENT_MIN_CASES */
  minCases: number;
  /** INCIDENT_WINDOW */
  windowMs: number;
}

/** What the opening probe read, under the (merchant, reason) locks, before the run's cases were inserted. */
export interface IncidentProbe {
  /** Per `keyOf(merchant, reason)`: the incident that accepts new cases (open, resolution not requested). */
  accepting: ReadonlyMap<string, string>;
  /**
   * Per candidate (same order), for keys without an accepting incident: how many committed candidates of its
   * merchant and reason were filed after its own filing time minus the window (itself and the run excluded), at
   * most minCases. Later filing times count too: batches of different partitions commit out of filing order, and
   * a case committed before this one is, for this one, an earlier case.
   */
  committed: readonly number[];
}

/** An incident the run opens; the committed candidates filed after `from` join it with the run's. */
export interface NewIncident {
  id: string;
  merchantId: string;
  reason: string;
  from: Date;
  /** The run's cases that open it (the one reaching the count and the earlier ones in its window). */
  openedBy: string[];
}

export interface IncidentPlan {
  opened: NewIncident[];
  /** Every candidate of the run (joining or not). */
  run: ReadonlySet<string>;
  /** The run's cases and the incident each joins. */
  joins: { caseId: string; incidentId: string }[];
}

export const keyOf = (merchantId: string, reason: string) => `${merchantId}\u0000${reason}`;

/**
 * Which of a run's queued cases open or join an incident (CONTRACT §12), as applying them one at a time in
 * order would: a case joins the accepting incident of its merchant and reason; else, when it and the earlier
 * candidates filed within INCIDENT_WINDOW before it (committed ones and the run's own earlier ones) reach
 * INCIDENT_MIN_CASES, it opens one that all of them join. The run's later cases do not count for an earlier one.
 */
export function planIncidents(candidates: readonly IncidentCandidate[], probe: IncidentProbe, settings: IncidentSettings, newId: () => string): IncidentPlan {
  const plan: IncidentPlan = { opened: [], run: new Set(candidates.map((candidate) => candidate.caseId)), joins: [] };
  const accepting = new Map(probe.accepting);
  const waiting = new Map<string, IncidentCandidate[]>(); // the run's candidates that joined nothing yet, per key
  candidates.forEach((candidate, n) => {
    const key = keyOf(candidate.merchantId, candidate.reason);
    const incidentId = accepting.get(key);
    if (incidentId) {
      plan.joins.push({ caseId: candidate.caseId, incidentId });
      return;
    }
    const at = candidate.filedAt.getTime();
    const from = at - settings.windowMs;
    // The run's earlier candidates count as committed ones would: filed after `from`, whatever their order.
    const earlier = (waiting.get(key) ?? []).filter((other) => other.filedAt.getTime() > from);
    if ((probe.committed[n] ?? 0) + earlier.length + 1 < settings.minCases) {
      waiting.set(key, [...(waiting.get(key) ?? []), candidate]);
      return;
    }
    const id = newId();
    accepting.set(key, id);
    waiting.delete(key);
    plan.opened.push({ id, merchantId: candidate.merchantId, reason: candidate.reason, from: new Date(from), openedBy: [...earlier, candidate].map((c) => c.caseId) });
    for (const joined of [...earlier, candidate]) plan.joins.push({ caseId: joined.caseId, incidentId: id });
  });
  return plan;
}

/**
 * The cases an incident holds when it opens, as one at a time would have it: the committed candidates of its
 * window and the run's cases that opened it, not the run's later cases that joined it in the same statement.
 */
export function openingMembers(incident: NewIncident, joined: readonly { id: string; incident_id: string }[], run: ReadonlySet<string>): string[] {
  const openedBy = new Set(incident.openedBy);
  return joined.filter((row) => row.incident_id === incident.id && (openedBy.has(row.id) || !run.has(row.id))).map((row) => row.id).sort();
}

/** The audit entry of each case that joined an incident, continuing its chain from the head on its row. */
export function joinedEntries(joined: readonly { id: string; incident_id: string; audit_head_seq: number; audit_head_hash: string }[], now: Date): CaseAuditEntry[] {
  return joined.map((row) => {
    const head: ChainHead | null = row.audit_head_seq > 0 ? { seq: row.audit_head_seq, hash: row.audit_head_hash } : null;
    return { ...appendEntry(head, { at: now.toISOString(), actor: INCIDENTS_ACTOR, action: 'case.incident_joined', data: { incidentId: row.incident_id } }), caseId: row.id };
  });
}
