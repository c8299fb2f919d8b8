import { Liability, Locale, RefundKind, RefundStatus } from '@recourse/contracts';
import { EntityManager } from 'typeorm';
import { RefundView } from './dto/refund.view';
import type { RefundDraft } from './refund-rules';
import { refundOutcome } from './refund-events';

/** A row of refund.refunds as node-postgres returns it (bigint as string). */
export interface RefundRow {
  id: string;
  dispute_id: string;
  payment_id: string;
  customer_id: string;
  merchant_id: string;
  kind: RefundKind;
  status: RefundStatus;
  amount: string;
  disputed_amount: string;
  currency: string;
  liability: Liability;
  failure_code: string | null;
  failure_detail: string | null;
  provisional_credit_id: string | null;
  cause_event_id: string;
  correlation_id: string;
  locale: Locale;
  created_at: Date;
  updated_at: Date;
  /** Read models only: what the row's dispute has been refunded for good (its succeeded refund). */
  dispute_refunded?: string;
}

const COLUMNS = [
  ['id', 'text'], ['dispute_id', 'text'], ['payment_id', 'text'], ['customer_id', 'text'], ['merchant_id', 'text'], ['kind', 'text'], ['status', 'text'],
  ['amount', 'bigint'], ['disputed_amount', 'bigint'], ['currency', 'text'], ['liability', 'text'], ['failure_code', 'text'], ['failure_detail', 'text'],
  ['provisional_credit_id', 'text'], ['cause_event_id', 'text'], ['correlation_id', 'text'], ['locale', 'text'],
] as const satisfies ReadonlyArray<readonly [keyof RefundDraft, string]>;

const INSERT_ROWS = `INSERT INTO refund.refunds (${COLUMNS.map(([name]) => name).join(', ')})
  SELECT * FROM unnest(${COLUMNS.map(([, type], index) => `$${index + 1}::${type}[]`).join(', ')})
  ON CONFLICT (dispute_id, kind) DO NOTHING RETURNING id`;

/**
 * Inserts a run's new refunds and provisional credits with one statement. The unique (dispute_id, kind)
 * constraint is what makes each "at most once", whatever raced us: should a row the run did not see under
 * its locks be there, the statement books nothing of it and this throws, so the run is applied again one
 * event at a time, each reading that row.
 */
export async function insertRefundRows(manager: EntityManager, rows: readonly RefundDraft[]): Promise<void> {
  if (rows.length === 0) return;
  const inserted: unknown[] = await manager.query(INSERT_ROWS, COLUMNS.map(([name]) => rows.map((row) => row[name])));
  if (inserted.length !== rows.length) throw new Error(`${rows.length - inserted.length} of ${rows.length} refunds already existed; not booked`);
}

/** Writes the new status, failure and finalised credit of rows a run changed, with one statement. */
export async function updateRefundRows(manager: EntityManager, rows: readonly RefundDraft[]): Promise<void> {
  if (rows.length === 0) return;
  await manager.query(
    `UPDATE refund.refunds r SET status = u.status, failure_code = u.failure_code, failure_detail = u.failure_detail,
       provisional_credit_id = u.provisional_credit_id, updated_at = now()
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS u(id, status, failure_code, failure_detail, provisional_credit_id)
     WHERE r.id = u.id`,
    [rows.map((row) => row.id), rows.map((row) => row.status), rows.map((row) => row.failure_code), rows.map((row) => row.failure_detail),
      rows.map((row) => row.provisional_credit_id)],
  );
}

/** Every row of the disputes, locked for the rest of the transaction in a stable order. Take their payments' locks first. */
export async function lockRowsOf(manager: EntityManager, disputeIds: readonly string[]): Promise<RefundRow[]> {
  if (disputeIds.length === 0) return [];
  return manager.query('SELECT * FROM refund.refunds WHERE dispute_id = ANY($1) ORDER BY id FOR UPDATE', [disputeIds]);
}

export function toRefundView(row: RefundRow): RefundView {
  const disputedAmount = Number(row.disputed_amount);
  const refundedAmount = Number(row.dispute_refunded ?? 0);
  return {
    id: row.id,
    disputeId: row.dispute_id,
    paymentId: row.payment_id,
    customerId: row.customer_id,
    merchantId: row.merchant_id,
    kind: row.kind,
    status: row.status,
    amount: Number(row.amount),
    disputedAmount,
    refundedAmount,
    remainingAmount: Math.max(disputedAmount - refundedAmount, 0),
    outcome: refundedAmount > 0 ? refundOutcome(refundedAmount, disputedAmount) : null,
    currency: row.currency.trim(),
    liability: row.liability,
    provisionalCreditId: row.provisional_credit_id,
    failureCode: row.failure_code,
    failureDetail: row.failure_detail,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
