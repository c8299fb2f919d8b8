import { Injectable } from '@nestjs/common';
import { DEFAULT_LOCALE, Locale, PaymentRecordedData } from '@recourse/contracts';
import { decodeCursor, Page, PageQuery, Principal, ProblemException, toPage } from '@recourse/platform';
import { DataSource, EntityManager } from 'typeorm';
import { explainFailure } from './failure-explanations';
import { PaymentErrors } from './payments.errors';
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

  async list(customerId: string, page: PageQuery, locale: Locale): Promise<Page<PaymentView>> {
    const limit = page.limit ?? 20;
    const after = decodeCursor(page.cursor);
    const rows: PaymentWithDispute[] = await this.dataSource.query(
      `SELECT p.*, ${OPEN_DISPUTE} FROM intake.payments p
       WHERE p.customer_id = $1 AND ($2::timestamptz IS NULL OR (p.created_at, p.id) < ($2, $3))
       ORDER BY p.created_at DESC, p.id DESC LIMIT $4`,
      [customerId, after?.at ?? null, after?.id ?? '', limit + 1],
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
