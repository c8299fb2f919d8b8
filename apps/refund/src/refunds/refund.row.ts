import { Liability, Locale, RefundKind, RefundStatus } from '@recourse/contracts';
import { EntityManager } from 'typeorm';
import { RefundView } from './dto/refund.view';
import { refundOutcome } from './refund-rules';

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

export interface NewRefundRow {
  id: string;
  disputeId: string;
  paymentId: string;
  customerId: string;
  merchantId: string;
  kind: RefundKind;
  amount: number;
  disputedAmount: number;
  currency: string;
  liability: Liability;
  locale: Locale;
  failure: { code: string; detail: string } | null;
  provisionalCreditId: string | null;
  causeEventId: string;
  correlationId: string;
}

/**
 * Inserts the dispute's refund or provisional credit, unless it already has one of that kind: the unique
 * (dispute_id, kind) constraint is what makes it "at most once", whatever raced us. Undefined when it had.
 */
export async function insertRefundRow(manager: EntityManager, row: NewRefundRow): Promise<RefundRow | undefined> {
  const [inserted]: RefundRow[] = await manager.query(
    `INSERT INTO refund.refunds (id, dispute_id, payment_id, customer_id, merchant_id, kind, status, amount, disputed_amount, currency,
       liability, failure_code, failure_detail, provisional_credit_id, cause_event_id, correlation_id, locale)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
     ON CONFLICT (dispute_id, kind) DO NOTHING RETURNING *`,
    [row.id, row.disputeId, row.paymentId, row.customerId, row.merchantId, row.kind, row.failure ? 'failed' : 'succeeded', row.amount,
      row.disputedAmount, row.currency, row.liability, row.failure?.code ?? null, row.failure?.detail ?? null, row.provisionalCreditId,
      row.causeEventId, row.correlationId, row.locale],
  );
  return inserted;
}

/** The dispute's row of `kind`, locked for the rest of the transaction. Take the payment's lock first. */
export async function lockRowOf(manager: EntityManager, disputeId: string, kind: RefundKind): Promise<RefundRow | undefined> {
  const [row]: RefundRow[] = await manager.query('SELECT * FROM refund.refunds WHERE dispute_id = $1 AND kind = $2 FOR UPDATE', [disputeId, kind]);
  return row;
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
