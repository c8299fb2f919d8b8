import { CaseState, CaseStatus, DisputeDeadlines, PendingDecision, RiskSignal } from '@recourse/domain';

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
  status: CaseStatus;
  flags: string[];
  assignee: string | null;
  risk_score: number;
  risk_signals: RiskSignal[];
  payment: Record<string, unknown>;
  deadlines: DisputeDeadlines;
  decision: Record<string, unknown> | null;
  pending_decision: PendingDecision | null;
  evidence_request: { message: string; dueBy: string; requestedAt: string } | null;
  appealed: boolean;
  outcome: string | null;
  refunded_amount: string;
  decided_at: Date | null;
  created_at: Date;
  updated_at: Date;
  next_deadline: Date;
}

export interface CaseDetails {
  notes: unknown[];
  evidence: unknown[];
  merchantResponses: unknown[];
}

export function stateOf(row: Pick<CaseRow, 'status' | 'pending_decision' | 'appealed' | 'flags'>): CaseState {
  return { status: row.status, pendingDecision: row.pending_decision, appealed: row.appealed, flags: row.flags };
}

/** A case as investigators read it (CONTRACT §5); the queue lists cases without their details. */
export function toCaseView(row: CaseRow, details?: CaseDetails) {
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
    ...details,
    evidenceRequest: row.evidence_request,
    deadlines: row.deadlines,
    decision: row.decision,
    pendingDecision: row.pending_decision,
    outcome: row.outcome,
    refundedAmount: Number(row.refunded_amount),
    appealed: row.appealed,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
