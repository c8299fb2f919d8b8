import { Injectable } from '@nestjs/common';
import { WebhookEventType } from '@recourse/contracts';
import { first, Position, RawBuilder, rows, Selectable, sql, tables } from '@recourse/platform';
import { DataSource } from 'typeorm';
import { DB, NotificationDeliveries, NotificationDeliveryAttempts } from '../database/notification.tables';

/** One webhook to queue for each of its merchant's endpoints that wants it; `body` is the exact bytes every attempt sends. */
export interface QueuedWebhook {
  merchantId: string;
  webhookId: string;
  type: WebhookEventType;
  body: string;
  disputeId: string | null;
  correlationId: string;
}

export type AttemptRow = Pick<Selectable<NotificationDeliveryAttempts>, 'id' | 'attempt' | 'status' | 'response_status' | 'error' | 'at' | 'next_attempt_at'>
  & Pick<Selectable<NotificationDeliveries>, 'webhook_id' | 'type'>;
export type DeliveryStateRow = Pick<Selectable<NotificationDeliveries>, 'webhook_id' | 'type' | 'status' | 'attempts' | 'next_attempt_at'>;

const db = tables<DB>();

/** notification.deliveries (the durable queue) and their attempts, as the API sees them; the worker claims them itself. */
@Injectable()
export class DeliveriesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The statement that queues each webhook for each of its merchant's enabled endpoints subscribed to its
   * type; it returns one row per delivery queued (a redelivered webhook queues none). Run it in the
   * caller's transaction, alone or as the last of the caller's writes (`together`).
   */
  enqueue(webhooks: readonly QueuedWebhook[]): RawBuilder<{ id: number }> {
    const column = (value: (webhook: QueuedWebhook) => string | null) => webhooks.map(value);
    // The id default (nextval) is computed above the sort (the SELECT is a subquery: see EXPLAIN VERBOSE), so
    // ids follow ORDER BY: the webhooks' order, then the endpoint.
    return sql<{ id: number }>`
      INSERT INTO notification.deliveries (endpoint_id, webhook_id, type, body, dispute_id, correlation_id, next_attempt_at)
      SELECT e.id, w.webhook_id, w.type, w.body, w.dispute_id, w.correlation_id, now()
      FROM unnest(${column((w) => w.merchantId)}::text[], ${column((w) => w.webhookId)}::text[], ${column((w) => w.type)}::text[],
                  ${column((w) => w.body)}::text[], ${column((w) => w.disputeId)}::text[], ${column((w) => w.correlationId)}::text[]) WITH ORDINALITY
        AS w (merchant_id, webhook_id, type, body, dispute_id, correlation_id, n)
      JOIN notification.webhook_endpoints e ON e.merchant_id = w.merchant_id AND e.enabled AND (e.events IS NULL OR w.type = ANY (e.events))
      ORDER BY w.n, e.id
      ON CONFLICT (endpoint_id, webhook_id) DO NOTHING RETURNING id`;
  }

  /** A page of the endpoint's attempts, newest first, after the cursor's (at, id): `after.id` is an attempt's id in digits. */
  attempts(endpointId: string, after: Position | null, limit: number): Promise<AttemptRow[]> {
    let query = db.selectFrom('notification.delivery_attempts as a').innerJoin('notification.deliveries as d', 'd.id', 'a.delivery_id')
      .select(['a.id', 'd.webhook_id', 'd.type', 'a.attempt', 'a.status', 'a.response_status', 'a.error', 'a.at', 'a.next_attempt_at'])
      .where('d.endpoint_id', '=', endpointId)
      .orderBy('a.at', 'desc').orderBy('a.id', 'desc').limit(limit);
    // The cursor's id stays text up to Postgres: a bigint past 2^53 would not survive a JS number.
    if (after) query = query.where(({ eb, refTuple, tuple }) => eb(refTuple('a.at', 'a.id'), '<', tuple(after.at, sql<number>`${after.id}::bigint`)));
    return rows(this.dataSource, query);
  }

  /**
   * Makes the delivery due now, whatever its state (a failed one gets one more attempt), unless its request is
   * out right now (leased): a retry never makes two concurrent sends.
   */
  async makeDue(endpointId: string, webhookId: string): Promise<void> {
    await rows(this.dataSource, db.updateTable('notification.deliveries')
      .set({ status: 'pending', next_attempt_at: sql<Date>`now()`, updated_at: sql<Date>`now()` })
      .where('endpoint_id', '=', endpointId).where('webhook_id', '=', webhookId)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', sql<Date>`now()`)])));
  }

  state(endpointId: string, webhookId: string): Promise<DeliveryStateRow | undefined> {
    return first(this.dataSource, db.selectFrom('notification.deliveries').select(['webhook_id', 'type', 'status', 'attempts', 'next_attempt_at'])
      .where('endpoint_id', '=', endpointId).where('webhook_id', '=', webhookId));
  }
}
