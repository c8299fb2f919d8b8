import { RawBuilder, sql } from '@recourse/platform';
import { EVIDENCE_MAX, EVIDENCE_WINDOW, PriorPayment } from './evidence.rules';

/** One row of `priorPaymentsOfProbes`: the probe's index and one candidate payment. */
export interface PriorPaymentRow {
  n: number;
  id: string;
  created_at: string;
  device_id: string | null;
  device_ip: string | null;
}

/**
 * The triage history's subquery of compelling evidence (CONTRACT §12), over the probes `q` (n, reason, customer_id,
 * merchant_id, payment_at, device_id, device_ip): for each unrecognised charge that named a device, the customer's
 * succeeded payments at the merchant in the evidence window from the same device id or ip, never disputed, newest
 * first, at most EVIDENCE_MAX. A range of payments_customer_merchant (ordered as the index, so the planner may stop at
 * the LIMIT), each checked for a case by cases_payment: its cost is the customer's payments at the merchant in the
 * window, whatever their history before or after it.
 */
export function priorPaymentsOfProbes(): RawBuilder<PriorPaymentRow[]> {
  return sql<PriorPaymentRow[]>`
    (SELECT coalesce(json_agg(json_build_object('n', q.n, 'id', e.id, 'created_at', e.created_at, 'device_id', e.device_id, 'device_ip', e.device_ip)
              ORDER BY q.n, e.created_at DESC, e.id DESC), '[]')
       FROM q CROSS JOIN LATERAL (
         SELECT p.id, p.created_at, p.device_id, p.device_ip FROM investigation.payments p
          WHERE p.customer_id = q.customer_id AND p.merchant_id = q.merchant_id AND p.status = 'succeeded'
            AND p.created_at BETWEEN q.payment_at - ${`${EVIDENCE_WINDOW.toMs} milliseconds`}::interval AND q.payment_at - ${`${EVIDENCE_WINDOW.fromMs} milliseconds`}::interval
            AND (p.device_id = q.device_id OR p.device_ip = q.device_ip)
            AND NOT EXISTS (SELECT 1 FROM investigation.cases c WHERE c.payment_id = p.id)
          ORDER BY p.created_at DESC LIMIT ${EVIDENCE_MAX}) e
      WHERE q.reason = 'unrecognized_charge' AND (q.device_id IS NOT NULL OR q.device_ip IS NOT NULL))`;
}

/** The subquery's rows by probe. */
export function priorPaymentsByProbe(count: number, found: readonly PriorPaymentRow[]): PriorPayment[][] {
  const prior: PriorPayment[][] = Array.from({ length: count }, () => []);
  for (const p of found) prior[p.n].push({ id: p.id, createdAt: new Date(p.created_at).toISOString(), device: { id: p.device_id, ip: p.device_ip } });
  return prior;
}
