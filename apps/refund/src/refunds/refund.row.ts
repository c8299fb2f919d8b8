import { Liability, Locale, RefundKind, RefundStatus } from '@recourse/contracts';
import { RefundView } from './dto/refund.view';

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
  cause_event_id: string;
  correlation_id: string;
  locale: Locale;
  created_at: Date;
  updated_at: Date;
}

export function toRefundView(row: RefundRow): RefundView {
  return {
    id: row.id,
    disputeId: row.dispute_id,
    paymentId: row.payment_id,
    customerId: row.customer_id,
    merchantId: row.merchant_id,
    kind: row.kind,
    status: row.status,
    amount: Number(row.amount),
    disputedAmount: Number(row.disputed_amount),
    currency: row.currency.trim(),
    liability: row.liability,
    failureCode: row.failure_code,
    failureDetail: row.failure_detail,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
