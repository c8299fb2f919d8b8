import { Injectable } from '@nestjs/common';
import { PaymentStatus } from '@recourse/contracts';
import { DUPLICATE_WINDOW_MS, TriagePayment } from '@recourse/domain';
import { Queryable, rows, sql } from '@recourse/platform';
import { CaseAuditEntry, insertAuditEntries } from '../audit/audit.repository';
import { priorPaymentsByProbe, priorPaymentsOfProbes, PriorPaymentRow } from '../linking/prior-payments.repository';
import { ResolutionRule } from '../resolution-rules/resolution-rules.rules';
import { OpenedCase, Timer } from './case-opening.rules';
import { SignalProbe, SucceededPayment, TriageHistory, USUAL_OF } from './triage-signals.rules';

/** The history read's one row: json aggregates, their numbers already numbers. */
interface HistoryRow {
  existing: string[];
  recent: { n: number; recent: number }[];
  twins: { n: number; id: string; customer_id: string; merchant_id: string; amount: number; currency: string; status: PaymentStatus; debited: boolean; created_at: string }[];
  succeeded: { customer_id: string; id: string; amount: number }[];
  merchants: { merchant_id: string; payments: number; disputes: number }[];
  rules: { merchant_id: string; rules: ResolutionRule[] }[];
  prior: PriorPaymentRow[];
}

/** What triage reads of the cases, payments and merchant counters, and the new cases it writes. */
@Injectable()
export class TriageRepository {
  /**
   * Reads what triage and the risk score need for every probe at once. Every read is bounded whatever the
   * history: an index range of each customer's (a 10-minute window, 90 days of cases, the last payments) and
   * each merchant's counters and resolution rules, and the compelling evidence of unrecognised charges (CONTRACT §12:
   * the customer's payments at the merchant in a window before). `hidden` says, per customer, how many of their payments the caller may hide.
   */
  async history(on: Queryable, probes: readonly SignalProbe[], hidden: ReadonlyMap<string, number> = new Map()): Promise<TriageHistory> {
    const customers = [...new Set(probes.map((probe) => probe.payment.customerId))];
    const merchants = [...new Set(probes.map((probe) => probe.payment.merchantId))];
    const window = `${DUPLICATE_WINDOW_MS} milliseconds`;
    const [row] = await rows(on, sql<HistoryRow>`
      WITH q AS (
        SELECT * FROM unnest(${probes.map((_, n) => n)}::int[], ${probes.map((probe) => probe.caseId)}::text[], ${probes.map((probe) => probe.payment.customerId)}::text[],
                             ${probes.map((probe) => probe.payment.merchantId)}::text[], ${probes.map((probe) => probe.payment.paymentId)}::text[],
                             ${probes.map((probe) => probe.payment.createdAt)}::timestamptz[], ${probes.map((probe) => probe.filedAt)}::timestamptz[],
                             ${probes.map((probe) => probe.reason)}::text[], ${probes.map((probe) => probe.payment.device?.id ?? null)}::text[],
                             ${probes.map((probe) => probe.payment.device?.ip ?? null)}::text[])
          AS q (n, case_id, customer_id, merchant_id, payment_id, payment_at, filed_at, reason, device_id, device_ip)
      )
      SELECT
        (SELECT coalesce(json_agg(q.case_id), '[]') FROM q WHERE EXISTS (SELECT 1 FROM investigation.cases c WHERE c.id = q.case_id)) AS existing,
        (SELECT coalesce(json_agg(json_build_object('n', q.n, 'recent', r.recent)), '[]') FROM q CROSS JOIN LATERAL (
           SELECT count(*)::int AS recent FROM investigation.cases c
            WHERE c.customer_id = q.customer_id AND c.id <> q.case_id AND c.created_at > q.filed_at - interval '90 days') r) AS recent,
        (SELECT coalesce(json_agg(json_build_object('n', q.n, 'id', p.id, 'customer_id', p.customer_id, 'merchant_id', p.merchant_id, 'amount', p.amount,
                  'currency', p.currency, 'status', p.status, 'debited', p.debited, 'created_at', p.created_at) ORDER BY q.n, p.created_at, p.id), '[]')
           FROM q JOIN investigation.payments p ON p.customer_id = q.customer_id AND p.merchant_id = q.merchant_id AND p.id <> q.payment_id
            AND p.created_at BETWEEN q.payment_at - ${window}::interval AND q.payment_at + ${window}::interval) AS twins,
        (SELECT coalesce(json_agg(json_build_object('customer_id', u.customer_id, 'id', p.id, 'amount', p.amount) ORDER BY u.customer_id, p.created_at DESC, p.id DESC), '[]')
           FROM unnest(${customers}::text[], ${customers.map((id) => USUAL_OF + (hidden.get(id) ?? 0))}::int[]) AS u (customer_id, lim) CROSS JOIN LATERAL (
             SELECT id, amount, created_at FROM investigation.payments
              WHERE customer_id = u.customer_id AND status = 'succeeded' ORDER BY created_at DESC, id DESC LIMIT u.lim) p) AS succeeded,
        (SELECT coalesce(json_agg(json_build_object('merchant_id', m.merchant_id, 'payments', t.payments, 'disputes', t.disputes)), '[]')
           FROM unnest(${merchants}::text[]) AS m (merchant_id) CROSS JOIN LATERAL (
             SELECT coalesce(sum(payments), 0)::bigint AS payments, coalesce(sum(disputes), 0)::bigint AS disputes
               FROM investigation.merchant_counters WHERE merchant_id = m.merchant_id) t) AS merchants,
        (SELECT coalesce(json_agg(json_build_object('merchant_id', r.merchant_id, 'rules', r.rules)), '[]')
           FROM investigation.resolution_rules r WHERE r.merchant_id = ANY(${merchants}::text[])) AS rules,
        ${priorPaymentsOfProbes()} AS prior`);
    const recent = probes.map(() => 0);
    for (const item of row.recent) recent[item.n] = item.recent;
    const twins: TriagePayment[][] = probes.map(() => []);
    for (const item of row.twins) {
      twins[item.n].push({
        paymentId: item.id, customerId: item.customer_id, merchantId: item.merchant_id, amount: item.amount, currency: item.currency.trim(),
        status: item.status, debited: item.debited, createdAt: new Date(item.created_at).toISOString(),
      });
    }
    const succeeded = new Map<string, SucceededPayment[]>(customers.map((id) => [id, []]));
    for (const item of row.succeeded) succeeded.get(item.customer_id)?.push({ id: item.id, amount: item.amount });
    return {
      existing: new Set(row.existing),
      recent,
      twins,
      succeeded,
      merchants: new Map(row.merchants.map(({ merchant_id, ...counts }) => [merchant_id, counts])),
      rules: new Map(row.rules.map((item) => [item.merchant_id, item.rules])),
      prior: priorPaymentsByProbe(probes.length, row.prior),
    };
  }

  /** Inserts a run's new cases in their final state, in id order; answers how many were new. */
  async insertCases(on: Queryable, cases: readonly OpenedCase[]): Promise<number> {
    const column = <T>(pick: (row: OpenedCase) => T) => cases.map(pick);
    const inserted = await rows(on, sql`
      INSERT INTO investigation.cases (id, payment_id, customer_id, merchant_id, reason, description, amount, currency, locale, channel, status, flags,
        payment, deadlines, created_at, risk_score, risk_signals, decision, pending_decision, appealed, outcome, decided_at, audit_head_seq, audit_head_hash, regime)
      SELECT id, payment_id, customer_id, merchant_id, reason, description, amount, currency, locale, channel, status, ARRAY(SELECT jsonb_array_elements_text(flags)),
        payment, deadlines, created_at, risk_score, risk_signals, decision, pending_decision, appealed, outcome, decided_at, audit_head_seq, audit_head_hash, regime
      FROM unnest(${column((c) => c.id)}::text[], ${column((c) => c.payment_id)}::text[], ${column((c) => c.customer_id)}::text[], ${column((c) => c.merchant_id)}::text[],
                  ${column((c) => c.reason)}::text[], ${column((c) => c.description)}::text[], ${column((c) => c.amount)}::bigint[], ${column((c) => c.currency)}::text[],
                  ${column((c) => c.locale)}::text[], ${column((c) => c.channel)}::text[], ${column((c) => c.status)}::text[], ${column((c) => JSON.stringify(c.flags))}::jsonb[],
                  ${column((c) => JSON.stringify(c.payment))}::jsonb[], ${column((c) => JSON.stringify(c.deadlines))}::jsonb[], ${column((c) => c.created_at)}::timestamptz[],
                  ${column((c) => c.risk_score)}::int[], ${column((c) => JSON.stringify(c.risk_signals))}::jsonb[], ${column((c) => c.decision && JSON.stringify(c.decision))}::jsonb[],
                  ${column((c) => c.pending_decision && JSON.stringify(c.pending_decision))}::jsonb[], ${column((c) => c.appealed)}::boolean[], ${column((c) => c.outcome)}::text[],
                  ${column((c) => c.decided_at)}::timestamptz[], ${column((c) => c.audit_head_seq)}::int[], ${column((c) => c.audit_head_hash)}::text[], ${column((c) => c.regime)}::text[])
        AS u (id, payment_id, customer_id, merchant_id, reason, description, amount, currency, locale, channel, status, flags, payment, deadlines, created_at,
          risk_score, risk_signals, decision, pending_decision, appealed, outcome, decided_at, audit_head_seq, audit_head_hash, regime)
      ORDER BY id
      ON CONFLICT (id) DO NOTHING RETURNING id`);
    return inserted.length;
  }

  /** The new cases' audit entries and timers, in one statement (a timer scheduled twice is one row). */
  async insertAuditAndTimers(on: Queryable, audit: readonly CaseAuditEntry[], timers: readonly Timer[]): Promise<void> {
    await rows(on, sql`
      WITH audit AS (${insertAuditEntries(audit)})
      INSERT INTO investigation.timers (case_id, kind, due_at)
      SELECT * FROM unnest(${timers.map((t) => t.caseId)}::text[], ${timers.map((t) => t.kind)}::text[], ${timers.map((t) => t.dueAt)}::timestamptz[])
      ON CONFLICT (case_id, kind, due_at) DO NOTHING`);
  }
}
