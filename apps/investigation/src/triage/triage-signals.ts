import { DUPLICATE_WINDOW_MS, RiskInput, TriagePayment } from '@recourse/domain';
import { EntityManager } from 'typeorm';
import { merchantCounts } from './merchant-counters';

const DAY_MS = 86_400_000;

interface PaymentRow {
  id: string;
  customer_id: string;
  merchant_id: string;
  amount: string;
  currency: string;
  status: 'succeeded' | 'failed';
  debited: boolean;
  created_at: Date;
}

/**
 * What triage and the risk score need from investigation's own records, read in the opening transaction.
 * Every read is bounded whatever the history: an index range of the customer's (a 10-minute window, 90
 * days of cases, the last 50 payments) and the merchant's counters.
 */
export async function triageSignals(manager: EntityManager, caseId: string, payment: TriagePayment, now: Date) {
  const paymentAt = new Date(payment.createdAt);
  const windowMs = `${DUPLICATE_WINDOW_MS} milliseconds`;
  const twins: PaymentRow[] = await manager.query(
    `SELECT * FROM investigation.payments WHERE customer_id = $1 AND merchant_id = $2 AND id <> $3
       AND created_at BETWEEN $4::timestamptz - $5::interval AND $4::timestamptz + $5::interval`,
    [payment.customerId, payment.merchantId, payment.paymentId, paymentAt, windowMs],
  );
  const [{ recent }] = await manager.query(
    `SELECT count(*)::int AS recent FROM investigation.cases WHERE customer_id = $1 AND id <> $2 AND created_at > $3::timestamptz - interval '90 days'`,
    [payment.customerId, caseId, now],
  );
  const [{ usual }] = await manager.query(
    `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY amount) AS usual FROM (
       SELECT amount FROM investigation.payments WHERE customer_id = $1 AND id <> $2 AND status = 'succeeded' ORDER BY created_at DESC LIMIT 50) recent`,
    [payment.customerId, payment.paymentId],
  );
  const { disputes, payments } = await merchantCounts(manager, payment.merchantId);
  const risk: Omit<RiskInput, 'amount'> = {
    usualAmount: usual === null ? null : Number(usual),
    recentDisputes: recent,
    paymentAgeDays: (now.getTime() - paymentAt.getTime()) / DAY_MS,
    // A rate over a handful of payments says nothing yet.
    merchantDisputeRate: payments >= 20 ? disputes / payments : null,
  };
  const otherPayments: TriagePayment[] = twins.map((row) => ({
    paymentId: row.id, customerId: row.customer_id, merchantId: row.merchant_id, amount: Number(row.amount), currency: row.currency.trim(),
    status: row.status, debited: row.debited, createdAt: row.created_at.toISOString(),
  }));
  return { risk, otherPayments };
}
