// A small typed fetch wrapper over the services' public APIs, reached through the console server's
// same-origin proxy (/api/<service>/…), so the browser never needs CORS.
import type { AuditEntry, AuditVerdict, Case, Page, Problem, Refund, SlaReport, TimelineEvent } from './types';

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title);
  }
}

type Service = 'intake' | 'investigation' | 'refund' | 'notification';

async function call<T>(token: string, service: Service, method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  // A retried click must not note or decide twice: creating POSTs carry an Idempotency-Key (CONTRACT §1).
  if (method === 'POST') headers['idempotency-key'] = crypto.randomUUID();
  const response = await fetch(`/api/${service}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  const parsed: unknown = text ? JSON.parse(text) : null;
  if (!response.ok) {
    const problem = (parsed ?? {}) as Partial<Problem>;
    throw new ApiError({ status: response.status, code: problem.code ?? `http_${response.status}`, title: problem.title ?? response.statusText, detail: problem.detail, errors: problem.errors });
  }
  return parsed as T;
}

/** A stored file, as bytes for a preview (an <img> cannot send the bearer token itself). */
async function download(token: string, path: string): Promise<Blob> {
  const response = await fetch(`/api/investigation${path}`, { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok) throw new ApiError({ status: response.status, code: `http_${response.status}`, title: response.statusText });
  return response.blob();
}

export interface QueueFilters {
  status?: string;
  reason?: string;
  assignee?: string;
  breached?: boolean;
}

function query(params: Record<string, string | undefined>): string {
  const defined = Object.entries(params).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '');
  return defined.length ? `?${new URLSearchParams(defined).toString()}` : '';
}

const casePath = (id: string) => `/v1/cases/${encodeURIComponent(id)}`;

export function api(token: string) {
  return {
    queue: (filters: QueueFilters, limit: number, cursor?: string) =>
      call<Page<Case>>(token, 'investigation', 'GET', `/v1/cases${query({ ...filters, breached: filters.breached ? 'true' : undefined, limit: String(limit), cursor })}`),
    getCase: (id: string) => call<Case>(token, 'investigation', 'GET', casePath(id)),
    audit: (id: string) => call<{ data: AuditEntry[] }>(token, 'investigation', 'GET', `${casePath(id)}/audit`),
    verifyAudit: (id: string) => call<AuditVerdict>(token, 'investigation', 'GET', `${casePath(id)}/audit/verify`),
    assign: (id: string, assignee?: string) => call<Case>(token, 'investigation', 'POST', `${casePath(id)}/assign`, assignee ? { assignee } : {}),
    addNote: (id: string, note: { body: string; kind: 'note' | 'call'; shareWithCustomer: boolean }) => call<unknown>(token, 'investigation', 'POST', `${casePath(id)}/notes`, note),
    requestMerchantEvidence: (id: string, message: string) => call<Case>(token, 'investigation', 'POST', `${casePath(id)}/request-merchant-evidence`, { message }),
    requestCustomerInfo: (id: string, message: string) => call<Case>(token, 'investigation', 'POST', `${casePath(id)}/request-customer-info`, { message }),
    decide: (id: string, decision: { outcome: 'approve' | 'reject'; refundAmount?: number; reasonCode: string; explanation: string }) =>
      call<Case>(token, 'investigation', 'POST', `${casePath(id)}/decision`, decision),
    approvePending: (id: string) => call<Case>(token, 'investigation', 'POST', `${casePath(id)}/decision/approve`),
    declinePending: (id: string, explanation: string) => call<Case>(token, 'investigation', 'POST', `${casePath(id)}/decision/decline`, { explanation }),
    attachment: (id: string, sha256: string) => download(token, `${casePath(id)}/attachments/${encodeURIComponent(sha256)}`),
    slaReport: () => call<SlaReport>(token, 'investigation', 'GET', '/v1/reports/sla'),
    /** The customer's timeline, as intake shows it to the customer; intake lets agents read it. */
    timeline: (id: string) => call<{ timeline: TimelineEvent[] }>(token, 'intake', 'GET', `/v1/disputes/${encodeURIComponent(id)}`),
    refunds: (disputeId: string) => call<{ data: Refund[] }>(token, 'refund', 'GET', `/v1/refunds${query({ disputeId })}`),
  };
}

export type Api = ReturnType<typeof api>;
