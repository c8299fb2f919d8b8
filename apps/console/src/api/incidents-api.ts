// Mass incidents (CONTRACT §12) through the typed client: the list, one incident (with its counts), a page of
// its cases (the queue's own route filtered by incident) and a supervisor's resolution.
import { InvestigationPaths, InvestigationSchemas, ok, RecourseClient } from '@recourse/client';

export type Incident = InvestigationSchemas['IncidentView'];
export type IncidentResolution = InvestigationSchemas['IncidentResolutionView'];
export type ResolveIncident = InvestigationSchemas['ResolveIncidentDto'];
export type IncidentFilters = Omit<NonNullable<InvestigationPaths['/v1/incidents']['get']['parameters']['query']>, 'limit' | 'cursor'>;

export const INCIDENT_STATUSES = ['open', 'resolved'] as const satisfies readonly Incident['status'][];
export const LIABILITIES = ['merchant', 'platform'] as const satisfies readonly NonNullable<ResolveIncident['liability']>[];

export const incidents = (client: RecourseClient, filters: IncidentFilters, limit: number, cursor?: string) =>
  ok(client.investigation.GET('/v1/incidents', { params: { query: { ...filters, limit, cursor } } }));

export const getIncident = (client: RecourseClient, id: string) => ok(client.investigation.GET('/v1/incidents/{id}', { params: { path: { id } } }));

/** One page of the incident's cases: the queue's own route, filtered by incident, in the queue's order. */
export const incidentCases = (client: RecourseClient, incidentId: string, limit: number, cursor?: string) =>
  ok(client.investigation.GET('/v1/cases', { params: { query: { incidentId, limit, cursor } } }));

/** Decides every undecided case of the incident; the answer is the incident with its resolution. */
export const resolveIncident = (client: RecourseClient, id: string, body: ResolveIncident) =>
  ok(client.investigation.POST('/v1/incidents/{id}/resolve', { params: { path: { id } }, body }));
