// The desk's calls, all through the typed client (@recourse/client): intake for the caller's payments and
// disputes and for filing, investigation for the call record.
import { IntakeSchemas, ok, RecourseClient } from '@recourse/client';
import type { Locale } from '../lib/i18n';

export type Payment = IntakeSchemas['PaymentView'];
export type Dispute = IntakeSchemas['DisputeView'];
export type NewDispute = IntakeSchemas['CreateDisputeDto'];
export type IdentityMethod = IntakeSchemas['IdentityCheckDto']['method'];

export const IDENTITY_METHODS = ['sms_code', 'security_questions', 'id_document'] as const satisfies readonly IdentityMethod[];

/** The search the caller's description gives: each filter narrows the list on the server. */
export interface PaymentFilters {
  paymentId?: string;
  amount?: number;
  counterparty?: string;
  from?: string;
  to?: string;
}

/** The caller's newest payments: a page, since search, not scrolling, finds the one they mean. */
const SHOWN = 50;

export const searchPayments = (client: RecourseClient, customerId: string, filters: PaymentFilters) =>
  ok(client.intake.GET('/v1/payments', { params: { query: { customerId, limit: SHOWN, ...filters } } }));

export const getPayment = (client: RecourseClient, id: string, locale: Locale) =>
  ok(client.intake.GET('/v1/payments/{id}', { params: { path: { id }, query: { locale } } }));

export const callerDisputes = (client: RecourseClient, customerId: string) =>
  ok(client.intake.GET('/v1/disputes', { params: { query: { customerId, limit: SHOWN } } }));

export const getDispute = (client: RecourseClient, id: string) => ok(client.intake.GET('/v1/disputes/{id}', { params: { path: { id } } }));

export const fileDispute = (client: RecourseClient, body: NewDispute, key: string) =>
  ok(client.intake.POST('/v1/disputes', { body, params: { header: { 'Idempotency-Key': key } } }));

export interface CallRecordBody {
  body: string;
  kind: 'call';
  shareWithCustomer: boolean;
}

/** The answer is the new note's id. */
export const addCallRecord = (client: RecourseClient, disputeId: string, note: CallRecordBody, key: string) =>
  ok(client.investigation.POST('/v1/cases/{id}/notes', { params: { path: { id: disputeId }, header: { 'Idempotency-Key': key } }, body: note }));
