// The shapes the console reads (CONTRACT §4–§6), only the fields it shows.

export const STATUSES = ['submitted', 'under_review', 'awaiting_merchant', 'awaiting_customer', 'approved', 'refunded', 'rejected', 'withdrawn'] as const;
export const REASONS = ['unrecognized_charge', 'duplicate_charge', 'payment_failed_but_debited', 'refund_not_received', 'incorrect_amount', 'goods_not_received', 'other'] as const;
export type Status = (typeof STATUSES)[number];
export type Reason = (typeof REASONS)[number];

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

export interface Deadlines {
  merchantResponseBy?: string;
  provisionalCreditBy: string;
  resolutionBy: string;
  appealBy?: string;
}

export interface Attachment {
  fileName: string;
  contentType: string;
  size: number;
  sha256: string;
}

export interface Note {
  id: string;
  author: { type: string; id: string };
  kind: 'note' | 'call';
  body: string;
  shareWithCustomer: boolean;
  createdAt: string;
}

export interface MerchantResponse {
  id: string;
  merchantId: string;
  kind: 'evidence' | 'accepted';
  body: string;
  attachments: Attachment[] | null;
  createdAt: string;
}

export interface PendingDecision {
  refundAmount: number;
  reasonCode: string;
  explanation: string;
  decidedBy: string;
}

export interface Case {
  id: string;
  status: Status;
  flags: string[];
  assignee: string | null;
  dispute: {
    id: string;
    paymentId: string;
    customerId: string;
    merchantId: string;
    reason: Reason;
    description: string;
    amount: number;
    currency: string;
    locale: string;
    channel: string;
    createdAt: string;
  };
  payment: Record<string, unknown>;
  risk: { score: number; signals: Array<{ code: string; detail: string }> };
  notes: Note[];
  evidence: MerchantResponse[];
  merchantResponses: MerchantResponse[];
  evidenceRequest: { message: string; dueBy: string; requestedAt: string } | null;
  deadlines: Deadlines;
  decision: { outcome: string; refundAmount?: number; reasonCode?: string; explanation?: string } | null;
  pendingDecision: PendingDecision | null;
  outcome: string | null;
  refundedAmount: number;
  createdAt: string;
  updatedAt: string;
}

export interface AuditEntry {
  seq: number;
  at: string;
  actor: { type: string; id: string };
  action: string;
  data: unknown;
  prevHash: string;
  hash: string;
}

export type AuditVerdict = { valid: true; entries: number } | { valid: false; brokenAt: number };

export interface TimelineEvent {
  at: string;
  type: string;
  message: string;
}

export interface Refund {
  id: string;
  disputeId: string;
  kind: 'refund' | 'provisional_credit';
  status: string;
  amount: number;
  currency: string;
  liability: string;
  createdAt: string;
}

export interface SlaReport {
  from: string;
  to: string;
  reasons: Array<{
    reason: Reason;
    total: number;
    byStatus: Record<string, number>;
    byOutcome: Record<string, number>;
    resolutionSeconds: { median: number | null; p90: number | null };
    breaches: number;
  }>;
  totals: { total: number; breaches: number };
}

export interface Problem {
  status: number;
  code: string;
  title: string;
  detail?: string;
  errors?: Array<{ field: string; code: string; message: string }>;
}
