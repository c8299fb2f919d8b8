import { Injectable } from '@nestjs/common';
import { PaymentRecordedData } from '@recourse/contracts';
import { first, Queryable, rows, Selectable, sql, tables } from '@recourse/platform';
import { DataSource } from 'typeorm';
import { DB, IntakePayments } from '../database/intake.tables';

export type PaymentRow = Selectable<IntakePayments>;
/** A payment with the open dispute on it, if any. */
export type PaymentWithDispute = PaymentRow & { dispute_id: string | null };

/** A page of one customer's payments, newest first, narrowed by every filter given. */
export interface PaymentSearch {
  customerId: string;
  paymentIdPrefix: string | null;
  amount: number | null;
  counterparty: string | null;
  from: Date | null;
  to: Date | null;
  after: { at: Date; id: string } | null;
  limit: number;
}

const db = tables<DB>();

/** Payments with their open dispute, the one a filing on them would collide with. */
const withOpenDispute = db.selectFrom('intake.payments as p').selectAll('p').select((eb) => eb.selectFrom('intake.disputes as d').select('d.id')
  .whereRef('d.payment_id', '=', 'p.id').where('d.status', 'in', ['submitted', 'under_review', 'awaiting_merchant', 'awaiting_customer', 'approved'])
  .limit(1).as('dispute_id'));

/** intake.payments: the wallet core's payments as intake keeps them. */
@Injectable()
export class PaymentsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Keeps the wallet's payments, a consumer run at once (claimed in the inbox), in its transaction. A payment
   * is recorded once: another event for the same payment id (a replay by the wallet core) changes nothing,
   * the first one in order wins.
   */
  async record(on: Queryable, payments: PaymentRecordedData[]): Promise<void> {
    if (payments.length === 0) return;
    const column = <T>(value: (payment: PaymentRecordedData) => T) => payments.map(value);
    await rows(on, sql`
      INSERT INTO intake.payments (id, customer_id, merchant_id, merchant_name, amount, currency, status, debited, failure_reason, description, created_at, jurisdiction, device_id, device_ip)
      SELECT id, customer_id, merchant_id, merchant_name, amount, currency, status, debited, failure_reason, description, created_at, jurisdiction, device_id, device_ip
      FROM unnest(${column((p) => p.paymentId)}::text[], ${column((p) => p.customerId)}::text[], ${column((p) => p.merchantId)}::text[],
                  ${column((p) => p.merchantName ?? null)}::text[], ${column((p) => p.amount)}::bigint[], ${column((p) => p.currency)}::text[],
                  ${column((p) => p.status)}::text[], ${column((p) => p.debited)}::boolean[], ${column((p) => p.failureReason ?? null)}::text[],
                  ${column((p) => p.description ?? null)}::text[], ${column((p) => p.createdAt)}::timestamptz[], ${column((p) => p.jurisdiction ?? null)}::text[],
                  ${column((p) => p.device?.id ?? null)}::text[], ${column((p) => p.device?.ip ?? null)}::text[])
        WITH ORDINALITY AS p (id, customer_id, merchant_id, merchant_name, amount, currency, status, debited, failure_reason, description, created_at, jurisdiction, device_id, device_ip, n)
      ORDER BY n
      ON CONFLICT (id) DO NOTHING`);
  }

  search(search: PaymentSearch): Promise<PaymentWithDispute[]> {
    let query = withOpenDispute.where('p.customer_id', '=', search.customerId);
    // Substring and prefix matches with strpos/starts_with, not LIKE: a typed "_" or "%" means itself.
    const { paymentIdPrefix, counterparty, after } = search;
    if (paymentIdPrefix !== null) query = query.where(sql<boolean>`starts_with(p.id, ${paymentIdPrefix})`);
    if (search.amount !== null) query = query.where('p.amount', '=', search.amount);
    if (counterparty !== null) {
      query = query.where(sql<boolean>`(strpos(lower(p.merchant_id), lower(${counterparty})) > 0 OR strpos(lower(coalesce(p.merchant_name, '')), lower(${counterparty})) > 0)`);
    }
    if (search.from !== null) query = query.where('p.created_at', '>=', search.from);
    if (search.to !== null) query = query.where('p.created_at', '<=', search.to);
    if (after !== null) query = query.where(({ eb, refTuple, tuple }) => eb(refTuple('p.created_at', 'p.id'), '<', tuple(after.at, after.id)));
    return rows(this.dataSource, query.orderBy('p.created_at', 'desc').orderBy('p.id', 'desc').limit(search.limit));
  }

  find(id: string): Promise<PaymentWithDispute | undefined> {
    return first(this.dataSource, withOpenDispute.where('p.id', '=', id));
  }
}
