import { Injectable } from '@nestjs/common';
import { DisputeStatus } from '@recourse/contracts';
import {
  ALONE, AttachmentView, ClaimingRead, first, OutboxEntry, pendingClaim, Queryable, RawBuilder, readWithClaim, readsWithClaims, recordset, ResponseRow, rows, Selectable, sql,
  StatementBatcher, storeResponses, tables,
} from '@recourse/platform';
import { DataSource } from 'typeorm';
import { DB, IntakeDisputes, IntakeTimeline } from '../database/intake.tables';
import type { PaymentRow } from '../payments/payments.repository';
import type { DisputeFeedback } from '../feedback/feedback.types';
import { OfferCopy } from './offer.types';
import { WithdrawalState } from './withdrawal.types';

export type DisputeRow = Selectable<IntakeDisputes>;
export type TimelineRow = Pick<Selectable<IntakeTimeline>, 'at' | 'type' | 'params'>;

const db = tables<DB>();

/** One filing of `fileTogether`: `file`'s dispute and entry, its event's outbox entry, its response if keyed. */
export interface Filing {
  dispute: Parameters<DisputesRepository['file']>[1];
  entry: Parameters<DisputesRepository['file']>[2];
  outbox: OutboxEntry;
  response: ResponseRow | null;
}

/** `fileTogether`'s filings as a relation. */
const filingsInput = recordset('input', {
  n: 'int', sub: 'text', key: 'text', owner: 'uuid', status: 'int', response: 'jsonb',
  id: 'text', payment_id: 'text', customer_id: 'text', merchant_id: 'text', reason: 'text', description: 'text', amount: 'bigint', currency: 'text',
  channel: 'text', locale: 'text', filed_by: 'jsonb', identity_check: 'jsonb', contact: 'jsonb', deadlines: 'jsonb', regime: 'text', at: 'timestamptz',
  entry_type: 'text', entry_params: 'jsonb', event_id: 'text', topic: 'text', event_key: 'text', payload: 'json', traceparent: 'text', tracestate: 'text',
});

/** A page of disputes, newest first, after the cursor's (created_at, id). */
export interface DisputeListing {
  customerId: string | null;
  status: string | null;
  after: { at: Date; id: string } | null;
  limit: number;
}

/** intake.disputes, its timeline and its files' descriptions. */
@Injectable()
export class DisputesRepository {
  constructor(private readonly dataSource: DataSource) {
    this.paymentReads = new StatementBatcher(readsWithClaims<PaymentRow>(dataSource, 'intake.idempotency_keys', { payment_id: 'text', customer_id: 'text' },
      sql`SELECT * FROM intake.payments WHERE id = input.payment_id AND customer_id = input.customer_id`));
  }

  /**
   * The customer's payment a filing names. It is the filing route's first read: with an Idempotency-Key, the
   * same statement claims the key, one statement for the filings that arrive together (readsWithClaims), or
   * for this one alone when theirs failed (readWithClaim).
   */
  async customerPayment(paymentId: string, customerId: string): Promise<PaymentRow | undefined> {
    const together = await this.paymentReads.submit({ claimed: pendingClaim(), params: { payment_id: paymentId, customer_id: customerId } });
    const [payment] = together !== ALONE
      ? together
      : await readWithClaim<PaymentRow>(this.dataSource, sql`SELECT * FROM intake.payments WHERE id = ${paymentId} AND customer_id = ${customerId}`);
    return payment;
  }

  /** The payment reads (and key claims) of filings that arrive together, one statement a batch. */
  private readonly paymentReads: StatementBatcher<ClaimingRead, PaymentRow[] | typeof ALONE>;

  /**
   * What `file` writes, for filings that arrive together: each filing's dispute, first timeline entry, event
   * and (with an Idempotency-Key) stored response, in one statement for the lot. All or nothing: a filing whose
   * claim was lost (its dispute's id is NULL) or whose payment has an open dispute already fails the statement,
   * and each filing then goes alone through `file`, which tells which one failed and why.
   */
  async fileTogether(on: Queryable, filings: readonly Filing[]): Promise<void> {
    const input = filings.map(({ dispute, entry, outbox, response }, n) => ({
      ...dispute, n, sub: response?.sub, key: response?.key, owner: response?.owner, status: response?.status, response: response?.response,
      entry_type: entry.type, entry_params: entry.params, event_id: outbox.event_id, topic: outbox.topic, event_key: outbox.key, payload: outbox.payload,
      traceparent: outbox.traceparent, tracestate: outbox.tracestate,
    }));
    await rows(on, sql`
      WITH input AS (SELECT * FROM ${filingsInput(input)}),
      done AS (${storeResponses('intake.idempotency_keys', filings.map((f) => f.response))}),
      dispute AS (
        INSERT INTO intake.disputes (id, payment_id, customer_id, merchant_id, reason, description, amount, currency, status, channel, locale, filed_by, identity_check, contact, deadlines, regime, created_at, updated_at)
        SELECT CASE WHEN i.key IS NULL THEN i.id ELSE (SELECT i.id FROM done WHERE done.n = i.n) END, i.payment_id, i.customer_id, i.merchant_id, i.reason, i.description,
          i.amount, i.currency, 'submitted', i.channel, i.locale, i.filed_by, i.identity_check, i.contact, i.deadlines, i.regime, i.at, i.at
        FROM input AS i ORDER BY i.payment_id
        RETURNING id),
      entry AS (INSERT INTO intake.timeline (dispute_id, at, type, params) SELECT i.id, i.at, i.entry_type, i.entry_params FROM input AS i JOIN dispute USING (id) ORDER BY i.n)
      INSERT INTO intake.outbox (event_id, topic, key, payload, traceparent, tracestate)
      SELECT event_id, topic, event_key, payload, traceparent, tracestate FROM input ORDER BY n`);
  }

  /**
   * Files `dispute` with its first timeline entry, the events `outbox` appends and, with an Idempotency-Key,
   * its stored response (`done`, which must come first) in one statement. Without `done` returning a row (the
   * claim is another request's now), the dispute's id is NULL and the statement fails.
   */
  async file(
    on: Queryable,
    dispute: Omit<DisputeRow, 'status' | 'outcome' | 'refunded_amount' | 'appealed' | 'prevented' | 'withdrawal' | 'offers' | 'feedback' | 'created_at' | 'updated_at'> & { at: Date },
    entry: Omit<TimelineRow, 'at'>,
    outbox: RawBuilder<unknown>,
    done: RawBuilder<unknown> | null,
  ): Promise<void> {
    const d = dispute;
    const id = done ? sql`(SELECT ${d.id}::text FROM done)` : sql`${d.id}`;
    await rows(on, sql`
      WITH ${done ? sql`done AS (${done}),` : sql``}
      dispute AS (
        INSERT INTO intake.disputes (id, payment_id, customer_id, merchant_id, reason, description, amount, currency, status, channel, locale, filed_by, identity_check, contact, deadlines, regime, created_at, updated_at)
        VALUES (${id}, ${d.payment_id}, ${d.customer_id}, ${d.merchant_id}, ${d.reason}, ${d.description}, ${d.amount}, ${d.currency}, 'submitted', ${d.channel}, ${d.locale},
                ${JSON.stringify(d.filed_by)}, ${json(d.identity_check)}, ${json(d.contact)}, ${JSON.stringify(d.deadlines)}, ${d.regime}, ${d.at}, ${d.at})
        RETURNING id),
      entry AS (INSERT INTO intake.timeline (dispute_id, at, type, params) SELECT id, ${d.at}, ${entry.type}, ${JSON.stringify(entry.params)} FROM dispute)
      ${outbox}`);
  }

  list(listing: DisputeListing): Promise<DisputeRow[]> {
    let query = db.selectFrom('intake.disputes').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(listing.limit);
    if (listing.customerId !== null) query = query.where('customer_id', '=', listing.customerId);
    if (listing.status !== null) query = query.where('status', '=', listing.status as DisputeRow['status']);
    if (listing.after) query = query.where(({ eb, refTuple, tuple }) => eb(refTuple('created_at', 'id'), '<', tuple(listing.after!.at, listing.after!.id)));
    return rows(this.dataSource, query);
  }

  find(on: Queryable, id: string): Promise<DisputeRow | undefined> {
    return first(on, db.selectFrom('intake.disputes').selectAll().where('id', '=', id));
  }

  /**
   * Loads a dispute and locks its row for the rest of the transaction, so this change and its events are
   * ordered after any other change to the same dispute.
   */
  lock(on: Queryable, id: string): Promise<DisputeRow | undefined> {
    return first(on, db.selectFrom('intake.disputes').selectAll().where('id', '=', id).forUpdate());
  }

  /** A rejected dispute appealed: back in review, undecided, never appealable again. */
  async reopenForAppeal(on: Queryable, id: string): Promise<void> {
    await rows(on, db.updateTable('intake.disputes').set({ status: 'under_review', outcome: null, appealed: true, updated_at: sql`now()` }).where('id', '=', id));
  }

  async setStatus(on: Queryable, id: string, status: DisputeStatus): Promise<void> {
    await rows(on, db.updateTable('intake.disputes').set({ status, updated_at: sql`now()` }).where('id', '=', id));
  }

  async setFeedback(on: Queryable, id: string, feedback: DisputeFeedback): Promise<void> {
    await rows(on, db.updateTable('intake.disputes').set({ feedback: JSON.stringify(feedback) as unknown as DisputeFeedback, updated_at: sql`now()` }).where('id', '=', id));
  }

  async setWithdrawal(on: Queryable, id: string, withdrawal: WithdrawalState): Promise<void> {
    await rows(on, db.updateTable('intake.disputes').set({ withdrawal, updated_at: sql`now()` }).where('id', '=', id));
  }

  async setOffers(on: Queryable, id: string, offers: OfferCopy[]): Promise<void> {
    await rows(on, db.updateTable('intake.disputes').set({ offers: sql<OfferCopy[]>`${JSON.stringify(offers)}::jsonb`, updated_at: sql`now()` }).where('id', '=', id));
  }

  /** Adds an entry to a dispute's timeline, in the caller's transaction. */
  async addTimeline(on: Queryable, disputeId: string, type: string, params: object, at = new Date()): Promise<void> {
    await rows(on, sql`INSERT INTO intake.timeline (dispute_id, at, type, params) VALUES (${disputeId}, ${at}, ${type}, ${JSON.stringify(params)})`);
  }

  /** Each dispute's timeline, oldest first. */
  async timelines(on: Queryable, ids: string[]): Promise<Map<string, TimelineRow[]>> {
    const found = ids.length === 0 ? [] : await rows(on, db.selectFrom('intake.timeline').select(['dispute_id', 'at', 'type', 'params']).where('dispute_id', '=', sql<string>`ANY(${ids})`).orderBy('id'));
    return groupBy(found, ({ dispute_id, ...entry }) => [dispute_id, entry]);
  }

  /** What each dispute's files are (never their bytes), oldest first. */
  async attachments(on: Queryable, ids: string[]): Promise<Map<string, AttachmentView[]>> {
    const found = ids.length === 0 ? [] : await rows(on, db.selectFrom('intake.attachments')
      .select(['dispute_id', 'file_name as fileName', 'content_type as contentType', 'size', 'sha256'])
      .where('dispute_id', '=', sql<string>`ANY(${ids})`).orderBy('id'));
    return groupBy(found, ({ dispute_id, ...attachment }) => [dispute_id, attachment]);
  }
}

function json(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

function groupBy<R, V>(found: R[], entry: (row: R) => [string, V]): Map<string, V[]> {
  const grouped = new Map<string, V[]>();
  for (const row of found) {
    const [key, value] = entry(row);
    grouped.set(key, [...(grouped.get(key) ?? []), value]);
  }
  return grouped;
}
