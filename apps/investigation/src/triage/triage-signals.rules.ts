import { DUPLICATE_WINDOW_MS, RiskInput, TriagePayment } from '@recourse/domain';
import { EntityManager } from 'typeorm';
import { MerchantCounts, pendingCounts } from '../merchant-counters/merchant-counters.service';

const DAY_MS = 86_400_000;
export const RECENT_DISPUTES_MS = 90 * DAY_MS;
/** The customer's usual amount is the median of their last USUAL_OF succeeded payments. */
export const USUAL_OF = 50;

/** A dispute about to be triaged: its case id, its payment and when it was filed. */
export interface SignalProbe {
  caseId: string;
  payment: TriagePayment;
  filedAt: Date;
}

/** A succeeded payment of a customer, newest first. */
export interface SucceededPayment {
  id: string;
  amount: number;
}

/**
 * What investigation's own records say about a run's disputes, read with one statement after the run's
 * payments were copied (so its new payments are in it: `signalsOf` hides those a dispute could not yet see).
 */
export interface TriageHistory {
  /** Case ids among the probes that were opened before. */
  existing: Set<string>;
  /** Per probe: the customer's cases in the 90 days before its filing, itself excluded (cases before the run). */
  recent: number[];
  /** Per probe: the customer's payments at the same merchant within the duplicate window, its own excluded. */
  twins: TriagePayment[][];
  /** Per customer: their last succeeded payments, newest first, USUAL_OF plus as many as the run may hide. */
  succeeded: Map<string, SucceededPayment[]>;
  /** Per merchant: the counters as committed (without the batch transaction's pending increments). */
  merchants: Map<string, MerchantCounts>;
}

interface HistoryRow {
  existing: string[];
  recent: { n: number; recent: number }[];
  twins: { n: number; id: string; customer_id: string; merchant_id: string; amount: number; currency: string; status: 'succeeded' | 'failed'; debited: boolean; created_at: string }[];
  succeeded: { customer_id: string; id: string; amount: number }[];
  merchants: { merchant_id: string; payments: number; disputes: number }[];
}

/**
 * Reads what triage and the risk score need for every probe at once. Every read is bounded whatever the
 * history: an index range of each customer's (a 10-minute window, 90 days of cases, the last payments) and
 * each merchant's counters. `hidden` says, per customer, how many of their payments the caller may hide.
 */
export async function readTriageHistory(manager: EntityManager, probes: readonly SignalProbe[], hidden: ReadonlyMap<string, number> = new Map()): Promise<TriageHistory> {
  const customers = [...new Set(probes.map((probe) => probe.payment.customerId))];
  const merchants = [...new Set(probes.map((probe) => probe.payment.merchantId))];
  const [row]: HistoryRow[] = await manager.query(
    `WITH q AS (
       SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[])
         AS q (n, case_id, customer_id, merchant_id, payment_id, payment_at, filed_at)
     )
     SELECT
       (SELECT coalesce(json_agg(q.case_id), '[]') FROM q WHERE EXISTS (SELECT 1 FROM investigation.cases c WHERE c.id = q.case_id)) AS existing,
       (SELECT coalesce(json_agg(json_build_object('n', q.n, 'recent', r.recent)), '[]') FROM q CROSS JOIN LATERAL (
          SELECT count(*)::int AS recent FROM investigation.cases c
           WHERE c.customer_id = q.customer_id AND c.id <> q.case_id AND c.created_at > q.filed_at - interval '90 days') r) AS recent,
       (SELECT coalesce(json_agg(json_build_object('n', q.n, 'id', p.id, 'customer_id', p.customer_id, 'merchant_id', p.merchant_id, 'amount', p.amount,
                 'currency', p.currency, 'status', p.status, 'debited', p.debited, 'created_at', p.created_at) ORDER BY q.n, p.created_at, p.id), '[]')
          FROM q JOIN investigation.payments p ON p.customer_id = q.customer_id AND p.merchant_id = q.merchant_id AND p.id <> q.payment_id
           AND p.created_at BETWEEN q.payment_at - $8::interval AND q.payment_at + $8::interval) AS twins,
       (SELECT coalesce(json_agg(json_build_object('customer_id', u.customer_id, 'id', p.id, 'amount', p.amount) ORDER BY u.customer_id, p.created_at DESC, p.id DESC), '[]')
          FROM unnest($9::text[], $10::int[]) AS u (customer_id, lim) CROSS JOIN LATERAL (
            SELECT id, amount, created_at FROM investigation.payments
             WHERE customer_id = u.customer_id AND status = 'succeeded' ORDER BY created_at DESC, id DESC LIMIT u.lim) p) AS succeeded,
       (SELECT coalesce(json_agg(json_build_object('merchant_id', m.merchant_id, 'payments', t.payments, 'disputes', t.disputes)), '[]')
          FROM unnest($11::text[]) AS m (merchant_id) CROSS JOIN LATERAL (
            SELECT coalesce(sum(payments), 0)::bigint AS payments, coalesce(sum(disputes), 0)::bigint AS disputes
              FROM investigation.merchant_counters WHERE merchant_id = m.merchant_id) t) AS merchants`,
    [
      probes.map((_, n) => n), probes.map((probe) => probe.caseId), probes.map((probe) => probe.payment.customerId),
      probes.map((probe) => probe.payment.merchantId), probes.map((probe) => probe.payment.paymentId),
      probes.map((probe) => probe.payment.createdAt), probes.map((probe) => probe.filedAt), `${DUPLICATE_WINDOW_MS} milliseconds`,
      customers, customers.map((id) => USUAL_OF + (hidden.get(id) ?? 0)), merchants,
    ],
  );
  const recent = probes.map(() => 0);
  for (const item of row.recent) recent[item.n] = item.recent;
  const twins: TriagePayment[][] = probes.map(() => []);
  for (const item of row.twins) {
    twins[item.n].push({
      paymentId: item.id, customerId: item.customer_id, merchantId: item.merchant_id, amount: Number(item.amount), currency: item.currency.trim(),
      status: item.status, debited: item.debited, createdAt: new Date(item.created_at).toISOString(),
    });
  }
  const succeeded = new Map<string, SucceededPayment[]>(customers.map((id) => [id, []]));
  for (const item of row.succeeded) succeeded.get(item.customer_id)?.push({ id: item.id, amount: Number(item.amount) });
  return {
    existing: new Set(row.existing),
    recent,
    twins,
    succeeded,
    merchants: new Map(row.merchants.map((item) => [item.merchant_id, { payments: Number(item.payments), disputes: Number(item.disputes) }])),
  };
}

/** percentile_cont(0.5): the middle amount, or the mean of the two middle ones. */
export function median(amounts: readonly number[]): number | null {
  if (amounts.length === 0) return null;
  const sorted = [...amounts].sort((a, b) => a - b);
  const at = (sorted.length - 1) / 2;
  const low = sorted[Math.floor(at)];
  return low + (sorted[Math.ceil(at)] - low) * (at - Math.floor(at));
}

export interface TriageSignals {
  risk: Omit<RiskInput, 'amount'>;
  otherPayments: TriagePayment[];
}

/**
 * The signals of one probe as applying the run's disputes one at a time would see them: `visible` hides the
 * run's payments copied for later disputes; `earlierCases` are cases the run opened before this one (their
 * customer and filing); `merchant` the merchant's counts including this dispute's own increments.
 */
export function signalsOf(input: {
  probe: SignalProbe;
  twins: readonly TriagePayment[];
  recentBefore: number;
  earlierCases: readonly { customerId: string; createdAt: Date }[];
  succeeded: readonly SucceededPayment[];
  merchant: MerchantCounts;
  visible: (paymentId: string) => boolean;
}): TriageSignals {
  const { probe, merchant, visible } = input;
  const now = probe.filedAt.getTime();
  const since = now - RECENT_DISPUTES_MS;
  const recentDisputes = input.recentBefore + input.earlierCases.filter((c) => c.customerId === probe.payment.customerId && c.createdAt.getTime() > since).length;
  const usual = input.succeeded.filter((p) => p.id !== probe.payment.paymentId && visible(p.id)).slice(0, USUAL_OF).map((p) => p.amount);
  return {
    risk: {
      usualAmount: median(usual),
      recentDisputes,
      paymentAgeDays: (now - Date.parse(probe.payment.createdAt)) / DAY_MS,
      // A rate over a handful of payments says nothing yet.
      merchantDisputeRate: merchant.payments >= 20 ? merchant.disputes / merchant.payments : null,
    },
    otherPayments: input.twins.filter((p) => visible(p.paymentId)),
  };
}

/** One probe's signals as the current transaction sees them (its pending merchant counts included). */
export async function triageSignals(manager: EntityManager, caseId: string, payment: TriagePayment, now: Date): Promise<TriageSignals> {
  const probe = { caseId, payment, filedAt: now };
  const history = await readTriageHistory(manager, [probe]);
  const committed = history.merchants.get(payment.merchantId) ?? { payments: 0, disputes: 0 };
  const own = pendingCounts(payment.merchantId);
  return signalsOf({
    probe, twins: history.twins[0], recentBefore: history.recent[0], earlierCases: [], succeeded: history.succeeded.get(payment.customerId) ?? [],
    merchant: { payments: committed.payments + own.payments, disputes: committed.disputes + own.disputes }, visible: () => true,
  });
}
