import { Injectable } from '@nestjs/common';
import { DEFAULT_LOCALE, Locale, PaymentRecordedData } from '@recourse/contracts';
import { CommonErrors, decodeCursor, Page, Principal, ProblemException, toPage } from '@recourse/platform';
import { DataSource, EntityManager } from 'typeorm';
import { explainFailure } from './failure-explanations';
import { PaymentErrors } from './payments.errors';
import { ListPaymentsQuery, parseDayOrInstant } from './dto/list-payments.query';
import { PaymentView } from './dto/payment.view';
import { PaymentRow } from './payment.row';

type PaymentWithDispute = PaymentRow & { dispute_id: string | null };

const OPEN_DISPUTE = `(SELECT d.id FROM intake.disputes d WHERE d.payment_id = p.id
  AND d.status IN ('submitted', 'under_review', 'awaiting_merchant', 'awaiting_customer', 'approved') LIMIT 1) AS dispute_id`;

@Injectable()
export class PaymentsService {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Keeps the wallet's payments, a consumer run at once (claimed in the inbox), in its transaction. A payment
   * is recorded once: another event for the same payment id (a replay by the wallet core) changes nothing,
   * the first one in order wins.
   */
  async record(manager: EntityManager, payments: PaymentRecordedData[]): Promise<void> {
    if (payments.length === 0) return;
    await manager.query(
      `INSERT INTO intake.payments (id, customer_id, merchant_id, merchant_name, amount, currency, status, debited, failure_reason, description, created_at)
       SELECT id, customer_id, merchant_id, merchant_name, amount, currency, status, debited, failure_reason, description, created_at
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::text[], $8::boolean[], $9::text[], $10::text[], $11::timestamptz[])
         WITH ORDINALITY AS p (id, customer_id, merchant_id, merchant_name, amount, currency, status, debited, failure_reason, description, created_at, n)
       ORDER BY n
       ON CONFLICT (id) DO NOTHING`,
      [
        payments.map((payment) => payment.paymentId),
        payments.map((payment) => payment.customerId),
        payments.map((payment) => payment.merchantId),
        payments.map((payment) => payment.merchantName ?? null),
        payments.map((payment) => payment.amount),
        payments.map((payment) => payment.currency),
        payments.map((payment) => payment.status),
        payments.map((payment) => payment.debited),
        payments.map((payment) => payment.failureReason ?? null),
        payments.map((payment) => payment.description ?? null),
        payments.map((payment) => payment.createdAt),
      ],
    );
  }

  /** The customer's payments, newest first, narrowed by every filter the query gives. */
  async list(customerId: string, query: ListPaymentsQuery, locale: Locale): Promise<Page<PaymentView>> {
    const limit = query.limit ?? 20;
    const after = decodeCursor(query.cursor);
    const { from, to } = timeRange(query);
    // Substring and prefix matches with strpos/starts_with, not LIKE: a typed "_" or "%" means itself.
    const rows: PaymentWithDispute[] = await this.dataSource.query(
      `SELECT p.*, ${OPEN_DISPUTE} FROM intake.payments p
       WHERE p.customer_id = $1
         AND ($2::text IS NULL OR starts_with(p.id, $2))
         AND ($3::bigint IS NULL OR p.amount = $3)
         AND ($4::text IS NULL OR strpos(lower(p.merchant_id), lower($4)) > 0 OR strpos(lower(coalesce(p.merchant_name, '')), lower($4)) > 0)
         AND ($5::timestamptz IS NULL OR p.created_at >= $5)
         AND ($6::timestamptz IS NULL OR p.created_at <= $6)
         AND ($7::timestamptz IS NULL OR (p.created_at, p.id) < ($7, $8))
       ORDER BY p.created_at DESC, p.id DESC LIMIT $9`,
      [customerId, query.paymentId ?? null, query.amount ?? null, query.counterparty ?? null, from, to, after?.at ?? null, after?.id ?? '', limit + 1],
    );
    return toPage(rows, limit, (row) => ({ at: row.created_at, id: row.id }), (row) => toView(row, locale));
  }

  /** One payment the caller may see: a customer only their own, an agent anyone's. */
  async get(id: string, principal: Principal, locale: Locale): Promise<PaymentView> {
    const [row]: PaymentWithDispute[] = await this.dataSource.query(`SELECT p.*, ${OPEN_DISPUTE} FROM intake.payments p WHERE p.id = $1`, [id]);
    const visible = row && (principal.roles.includes('agent') || row.customer_id === principal.sub);
    if (!visible) throw new ProblemException(PaymentErrors.NotFound);
    return toView(row, locale);
  }
}

/** The query's time range as instants; a range that ends before it starts is refused, not answered empty. */
function timeRange(query: ListPaymentsQuery): { from: Date | null; to: Date | null } {
  const from = query.from ? parseDayOrInstant(query.from) : null;
  const to = query.to ? parseDayOrInstant(query.to, true) : null;
  if (from && to && from > to) {
    throw new ProblemException(CommonErrors.ValidationFailed, 'to must not be before from', [{ field: 'to', code: 'not_before_from', message: 'to must not be before from' }]);
  }
  return { from, to };
}

function toView(row: PaymentWithDispute, locale: Locale = DEFAULT_LOCALE): PaymentView {
  return {
    id: row.id,
    customerId: row.customer_id,
    merchantId: row.merchant_id,
    merchantName: row.merchant_name,
    amount: Number(row.amount),
    currency: row.currency,
    status: row.status,
    debited: row.debited,
    createdAt: row.created_at.toISOString(),
    description: row.description,
    disputeId: row.dispute_id,
    ...(row.status === 'failed'
      ? { failureReason: row.failure_reason ?? 'other', explanation: explainFailure(row.failure_reason ?? 'other', locale) }
      : {}),
  };
}
