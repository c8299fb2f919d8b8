import { DisputeDeadlines, RiskSignal } from '@recourse/domain';

export interface CaseRow {
  id: string;
  payment_id: string;
  customer_id: string;
  merchant_id: string;
  reason: string;
  description: string;
  amount: string;
  currency: string;
  locale: string;
  channel: string;
  status: string;
  flags: string[];
  assignee: string | null;
  risk_score: number;
  risk_signals: RiskSignal[];
  payment: Record<string, unknown>;
  deadlines: DisputeDeadlines;
  decision: Record<string, unknown> | null;
  created_at: Date;
  updated_at: Date;
  next_deadline: Date;
}

/** A case as investigators read it (CONTRACT §5). Notes, evidence and holds arrive with casework. */
export function toCaseView(row: CaseRow) {
  return {
    id: row.id,
    status: row.status,
    flags: row.flags,
    assignee: row.assignee,
    dispute: {
      id: row.id,
      paymentId: row.payment_id,
      customerId: row.customer_id,
      merchantId: row.merchant_id,
      reason: row.reason,
      description: row.description,
      amount: Number(row.amount),
      currency: row.currency.trim(),
      locale: row.locale,
      channel: row.channel,
      createdAt: row.created_at.toISOString(),
    },
    payment: row.payment,
    risk: { score: row.risk_score, signals: row.risk_signals.map(({ code, detail }) => ({ code, detail })) },
    notes: [],
    evidence: [],
    merchantResponses: [],
    deadlines: row.deadlines,
    decision: row.decision,
    pendingDecision: null,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
