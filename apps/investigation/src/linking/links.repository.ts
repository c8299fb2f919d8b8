import { Injectable } from '@nestjs/common';
import { Queryable, rows, sql } from '@recourse/platform';
import { CaseRow } from '../cases/cases.repository';
import { isPriorEvidence } from './evidence.rules';
import { priorPaymentsByProbe, priorPaymentsOfProbes, PriorPaymentRow } from './prior-payments.repository';
import { CASE_LINKS, CaseLink, RELATED_PER_LINK, RelatedCase, relatedOf, SAME_AMOUNT_WINDOW_MS } from './related.rules';

/** What CONTRACT §12 adds to a case as it is read: computed now, so it reflects every case and payment known. */
export interface CaseLinks {
  related: RelatedCase[];
  priorUndisputedPayments: string[];
}

interface LinksRow {
  related: { caseId: string; link: CaseLink }[];
  prior: PriorPaymentRow[];
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Reads a case's links in one statement. Each link is a LIMITed range of one index of the cases (migration
 * 1797000000100), newest first, so its cost is bounded by RELATED_PER_LINK whatever the history of the device, the
 * customer or the merchant; the compelling evidence is triage's own subquery, for this case alone.
 */
@Injectable()
export class LinksRepository {
  async read(on: Queryable, row: CaseRow): Promise<CaseLinks> {
    const { payment } = row;
    const deviceId = payment.device?.id ?? null;
    const ip = payment.device?.ip ?? null;
    const paidAt = Date.parse(payment.createdAt);
    const [found] = await rows(on, sql<LinksRow>`
      WITH q AS (
        SELECT 0 AS n, ${row.reason}::text AS reason, ${row.customer_id}::text AS customer_id, ${row.merchant_id}::text AS merchant_id,
               ${payment.createdAt}::timestamptz AS payment_at, ${deviceId}::text AS device_id, ${ip}::text AS device_ip
      ),
      found AS (
        (SELECT id, 'device' AS link, created_at AS at FROM investigation.cases
          WHERE payment->'device'->>'id' = ${deviceId} AND id <> ${row.id} ORDER BY created_at DESC LIMIT ${RELATED_PER_LINK})
        UNION ALL
        (SELECT id, 'ip', created_at FROM investigation.cases
          WHERE payment->'device'->>'ip' = ${ip} AND id <> ${row.id} ORDER BY created_at DESC LIMIT ${RELATED_PER_LINK})
        UNION ALL
        (SELECT id, 'customer', created_at FROM investigation.cases
          WHERE customer_id = ${row.customer_id} AND id <> ${row.id} ORDER BY created_at DESC LIMIT ${RELATED_PER_LINK})
        UNION ALL
        (SELECT id, 'merchant_amount', (payment->>'createdAt')::timestamptz FROM investigation.cases
          WHERE merchant_id = ${row.merchant_id} AND payment->>'currency' = ${payment.currency} AND (payment->>'amount')::bigint = ${payment.amount}
            AND (payment->>'createdAt') COLLATE "C" BETWEEN ${iso(paidAt - SAME_AMOUNT_WINDOW_MS)} AND ${iso(paidAt + SAME_AMOUNT_WINDOW_MS)}
            AND id <> ${row.id}
          ORDER BY (payment->>'createdAt') COLLATE "C" DESC LIMIT ${RELATED_PER_LINK})
      )
      SELECT
        (SELECT coalesce(json_agg(json_build_object('caseId', id, 'link', link) ORDER BY array_position(${CASE_LINKS}::text[], link), at DESC, id), '[]') FROM found) AS related,
        ${priorPaymentsOfProbes()} AS prior`);
    const [prior] = priorPaymentsByProbe(1, found.prior);
    return {
      related: relatedOf(found.related),
      priorUndisputedPayments: prior.filter((p) => isPriorEvidence(payment, p)).map((p) => p.id),
    };
  }
}
