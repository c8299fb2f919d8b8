// Mass incidents (CONTRACT §12) through the typed client: the list, one incident, its cases (the queue's
// own route filtered by incident) and a supervisor's resolution.
import { InvestigationPaths, InvestigationSchemas, ok, RecourseClient } from '@recourse/client';
import type { CaseSummary } from './cases-api';

export type Incident = InvestigationSchemas['IncidentView'];
export type IncidentResolution = InvestigationSchemas['IncidentResolutionView'];
export type ResolveIncident = InvestigationSchemas['ResolveIncidentDto'];
export type IncidentFilters = Omit<NonNullable<InvestigationPaths['/v1/incidents']['get']['parameters']['query']>, 'limit' | 'cursor'>;

export const INCIDENT_STATUSES = ['open', 'resolved'] as const satisfies readonly Incident['status'][];
export const LIABILITIES = ['merchant', 'platform'] as const satisfies readonly NonNullable<ResolveIncident['liability']>[];

/** The most the API gives in one page (PageQuery's maximum). */
const CASES_PAGE = 100;

export const incidents = (client: RecourseClient, filters: IncidentFilters, limit: number, cursor?: string) =>
  ok(client.investigation.GET('/v1/incidents', { params: { query: { ...filters, limit, cursor } } }));

export const getIncident = (client: RecourseClient, id: string) => ok(client.investigation.GET('/v1/incidents/{id}', { params: { path: { id } } }));

/**
 * Every case of the incident, read page by page: the confirmation counts the undecided among them, so it
 * needs all of them (the incident's own caseIds already names every one, so the list is bounded alike).
 */
export async function incidentCases(client: RecourseClient, incidentId: string): Promise<CaseSummary[]> {
  const cases: CaseSummary[] = [];
  let cursor: string | undefined;
  do {
    const page = await ok(client.investigation.GET('/v1/cases', { params: { query: { incidentId, limit: CASES_PAGE, cursor } } }));
    cases.push(...page.data);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return cases;
}

/** Decides every undecided case of the incident; the answer is the incident with its resolution. */
export const resolveIncident = (client: RecourseClient, id: string, body: ResolveIncident) =>
  ok(client.investigation.POST('/v1/incidents/{id}/resolve', { params: { path: { id } }, body }));
