import { IncidentView } from './dto/incident.view';
import { IncidentWithCases } from './incidents.repository';
import { ResolutionRequest } from './incident.types';

/** An incident as investigators read it (CONTRACT §12). */
export function toIncidentView(row: IncidentWithCases): IncidentView {
  const resolution = row.resolution;
  return {
    id: row.id,
    merchantId: row.merchant_id,
    reason: row.reason,
    status: row.status,
    caseIds: row.case_ids,
    caseCount: row.case_ids.length,
    counts: { undecided: row.counts.undecided, heldForFourEyes: row.counts.held, decided: row.counts.decided },
    accepting: row.status === 'open' && resolution === null,
    openedAt: row.opened_at.toISOString(),
    resolvedAt: row.resolved_at?.toISOString() ?? null,
    resolution: resolution && { ...resolution, decidedCount: row.decided_count, heldForFourEyes: row.held_case_ids },
  };
}

/** Whether a second request asks for the resolution already requested (then it answers as the first did). */
export function sameResolution(stored: ResolutionRequest, asked: ResolutionRequest): boolean {
  return stored.outcome === asked.outcome && stored.reasonCode === asked.reasonCode && stored.explanation === asked.explanation
    && (stored.liability ?? null) === (asked.liability ?? null);
}
