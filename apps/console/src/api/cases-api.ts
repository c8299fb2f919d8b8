// The case pages' calls, all through the typed client (@recourse/client): investigation for the case, its
// audit trail and the SLA report, intake for the customer's timeline, refund for the case's refunds.
import { InvestigationPaths, InvestigationSchemas, IntakeSchemas, ok, RecourseClient, RefundSchemas } from '@recourse/client';

export type Case = InvestigationSchemas['CaseView'];
/** A case as the queue lists it, without its notes and the merchant's responses. */
export type CaseSummary = InvestigationSchemas['CaseSummaryView'];
export type Attachment = InvestigationSchemas['AttachmentView'];
export type Deadlines = InvestigationSchemas['CaseDeadlinesView'];
export type SlaReport = InvestigationSchemas['SlaReportView'];
export type Decision = InvestigationSchemas['DecisionDto'];
export type Ruling = InvestigationSchemas['RulingDto'];
export type RelatedCase = InvestigationSchemas['RelatedCaseView'];
export type ThreadEntry = InvestigationSchemas['ThreadEntryView'];
export type Offer = InvestigationSchemas['OfferView'];
export type NewNote = InvestigationSchemas['NoteDto'];
export type Refund = RefundSchemas['RefundView'];
export type TimelineEntry = IntakeSchemas['TimelineEntryView'];
export type QueueFilters = Omit<NonNullable<InvestigationPaths['/v1/cases']['get']['parameters']['query']>, 'limit' | 'cursor'>;

/** The values the documents enumerate, as lists for the filters and forms; `satisfies` keeps them valid. */
export const STATUSES = ['submitted', 'under_review', 'awaiting_merchant', 'awaiting_customer', 'approved', 'refunded', 'rejected', 'withdrawn', 'resolved'] as const satisfies readonly NonNullable<QueueFilters['status']>[];
export const STAGES = ['dispute', 'pre_arbitration', 'ruled'] as const satisfies readonly NonNullable<QueueFilters['stage']>[];
/** The statuses of a case not yet decided (an approval held for four eyes keeps its status until confirmed). */
export const OPEN_STATUSES = ['under_review', 'awaiting_merchant', 'awaiting_customer'] as const satisfies readonly Case['status'][];
export const REASONS = ['unrecognized_charge', 'duplicate_charge', 'payment_failed_but_debited', 'refund_not_received', 'incorrect_amount', 'goods_not_received', 'other'] as const satisfies readonly Case['dispute']['reason'][];

const onCase = (id: string) => ({ params: { path: { id } } });

export const queue = (client: RecourseClient, filters: QueueFilters, limit: number, cursor?: string) =>
  ok(client.investigation.GET('/v1/cases', { params: { query: { ...filters, limit, cursor } } }));

export const getCase = (client: RecourseClient, id: string) => ok(client.investigation.GET('/v1/cases/{id}', onCase(id)));

export const auditTrail = (client: RecourseClient, id: string) => ok(client.investigation.GET('/v1/cases/{id}/audit', onCase(id)));

export const verifyAudit = (client: RecourseClient, id: string) => ok(client.investigation.GET('/v1/cases/{id}/audit/verify', onCase(id)));

/** Without an assignee, the caller claims the case. */
export const assign = (client: RecourseClient, id: string) => ok(client.investigation.POST('/v1/cases/{id}/assign', { ...onCase(id), body: {} }));

/** Keep `key` for a retry of the same note: the service replays the first answer instead of noting twice. */
export const addNote = (client: RecourseClient, id: string, note: NewNote, key: string) =>
  ok(client.investigation.POST('/v1/cases/{id}/notes', { params: { path: { id }, header: { 'Idempotency-Key': key } }, body: note }));

export const requestMerchantEvidence = (client: RecourseClient, id: string, message: string) =>
  ok(client.investigation.POST('/v1/cases/{id}/request-merchant-evidence', { ...onCase(id), body: { message } }));

export const requestCustomerInfo = (client: RecourseClient, id: string, message: string) =>
  ok(client.investigation.POST('/v1/cases/{id}/request-customer-info', { ...onCase(id), body: { message } }));

export const decide = (client: RecourseClient, id: string, decision: Decision) =>
  ok(client.investigation.POST('/v1/cases/{id}/decision', { ...onCase(id), body: decision }));

export const approvePending = (client: RecourseClient, id: string) => ok(client.investigation.POST('/v1/cases/{id}/decision/approve', onCase(id)));

export const declinePending = (client: RecourseClient, id: string, explanation: string) =>
  ok(client.investigation.POST('/v1/cases/{id}/decision/decline', { ...onCase(id), body: { explanation } }));

/** A supervisor who did not make the decision rules on the merchant's appeal (CONTRACT §10 pre-arbitration). */
export const rule = (client: RecourseClient, id: string, ruling: Ruling) =>
  ok(client.investigation.POST('/v1/cases/{id}/ruling', { ...onCase(id), body: ruling }));

/** A stored file, as bytes for a preview (an <img> cannot send the bearer token itself). */
export const attachment = (client: RecourseClient, id: string, sha256: string) =>
  ok(client.investigation.GET('/v1/cases/{id}/attachments/{sha256}', { params: { path: { id, sha256 } }, parseAs: 'blob' }));

/** The case's evidence packet (CONTRACT §11), one PDF. */
export const packet = async (client: RecourseClient, id: string) =>
  (await ok(client.investigation.GET('/v1/cases/{id}/packet', { ...onCase(id), parseAs: 'blob' }))) as unknown as Blob;

export const slaReport = (client: RecourseClient) => ok(client.investigation.GET('/v1/reports/sla'));

/** The customer's timeline, as intake shows it to the customer; intake lets agents read it. */
export const timeline = (client: RecourseClient, id: string) => ok(client.intake.GET('/v1/disputes/{id}', onCase(id)));

/** A payment as intake keeps it; intake lets agents read it. */
export const payment = (client: RecourseClient, id: string) => ok(client.intake.GET('/v1/payments/{id}', onCase(id)));

export const refunds = (client: RecourseClient, disputeId: string) => ok(client.refund.GET('/v1/refunds', { params: { query: { disputeId } } }));
