import { CaseState } from '@recourse/domain';
import { toThreadView } from '../conversation/thread.mapper';
import { CaseLinks } from '../linking/links.repository';
import { toOfferView } from '../offers/offer.mapper';
import { OfferRow } from '../offers/offers.repository';
import { CaseRow, CasesRepository } from './cases.repository';

export interface CaseDetails extends CaseLinks {
  notes: Awaited<ReturnType<CasesRepository['notes']>>;
  evidence: Awaited<ReturnType<CasesRepository['merchantResponses']>>;
  merchantResponses: Awaited<ReturnType<CasesRepository['merchantResponses']>>;
  thread: ReturnType<typeof toThreadView>;
  offers: OfferRow[];
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
      amount: row.amount,
      currency: row.currency.trim(),
      locale: row.locale,
      channel: row.channel,
      createdAt: row.created_at.toISOString(),
    },
    payment: row.payment,
    risk: { score: row.risk_score, signals: row.risk_signals.map(({ code, detail }) => ({ code, detail })) },
    ...(details ? { ...details, offers: details.offers.map(toOfferView) } : {}),
    evidenceRequest: row.evidence_request,
    regime: row.regime,
    deadlines: row.deadlines,
    decision: row.decision,
    pendingDecision: row.pending_decision,
    outcome: row.outcome,
    refundedAmount: row.refunded_amount,
    appealed: row.appealed,
    prevented: row.decision?.prevented === true,
    stage: row.stage,
    merchantAppeal: row.merchant_appeal,
    ruling: row.ruling,
    incidentId: row.incident_id,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
