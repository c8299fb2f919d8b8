import { Injectable } from '@nestjs/common';
import { EventEnvelope, WebhookEventType } from '@recourse/contracts';
import { afterCommit, CommonErrors, decodeCursor, Page, PageQuery, ProblemException, toPage } from '@recourse/platform';
import { DataSource, EntityManager } from 'typeorm';
import { findOwnedEndpoint } from '../endpoints/endpoint.row';
import { DeliveryErrors } from './deliveries.errors';
import { DeliveryWorker } from './delivery.worker';
import { DeliveryAttemptView, DeliveryView } from './dto/delivery.view';

export interface NewWebhook {
  /** The event that caused it: its id is the webhook-id, and its time the body's `timestamp`. */
  cause: EventEnvelope;
  merchantId: string;
  type: WebhookEventType;
  data: object;
}

interface AttemptRow {
  id: string;
  webhook_id: string;
  type: string;
  attempt: number;
  status: 'succeeded' | 'failed';
  response_status: number | null;
  error: string | null;
  at: Date;
  next_attempt_at: Date | null;
}

@Injectable()
export class DeliveriesService {
  private readonly wakeWorker = () => this.worker.wake();

  constructor(
    private readonly dataSource: DataSource,
    private readonly worker: DeliveryWorker,
  ) {}

  /**
   * Queues each webhook for each of its merchant's enabled endpoints that subscribed to its type, in the
   * caller's transaction, with one statement. The body is fixed now, so every retry sends the very same
   * bytes. Deliveries take ids in the webhooks' order (an endpoint's deliveries of one dispute are sent in
   * id order: see delivery-claims). The worker is woken once that transaction commits, and only if a
   * delivery was queued: most events queue none.
   */
  async enqueueAll(manager: EntityManager, webhooks: readonly NewWebhook[]): Promise<number> {
    if (webhooks.length === 0) return 0;
    const column = (value: (webhook: NewWebhook) => string | null) => webhooks.map(value);
    // The id default (nextval) is computed above the sort (the SELECT is a subquery: see EXPLAIN VERBOSE), so
    // ids follow ORDER BY: the webhooks' order, then the endpoint.
    const inserted: unknown[] = await manager.query(
      `INSERT INTO notification.deliveries (endpoint_id, webhook_id, type, body, dispute_id, correlation_id, next_attempt_at)
       SELECT e.id, w.webhook_id, w.type, w.body, w.dispute_id, w.correlation_id, now()
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) WITH ORDINALITY
         AS w (merchant_id, webhook_id, type, body, dispute_id, correlation_id, n)
       JOIN notification.webhook_endpoints e ON e.merchant_id = w.merchant_id AND e.enabled AND (e.events IS NULL OR w.type = ANY (e.events))
       ORDER BY w.n, e.id
       ON CONFLICT (endpoint_id, webhook_id) DO NOTHING RETURNING id`,
      [
        column((webhook) => webhook.merchantId), column((webhook) => webhook.cause.id), column((webhook) => webhook.type),
        column((webhook) => JSON.stringify({ type: webhook.type, timestamp: webhook.cause.occurredAt, data: webhook.data })),
        column((webhook) => webhook.cause.disputeId), column((webhook) => webhook.cause.correlationId),
      ],
    );
    if (inserted.length > 0) afterCommit(manager, this.wakeWorker);
    return inserted.length;
  }

  /** Every attempt to the merchant's endpoint, newest first. */
  async attempts(merchantId: string, endpointId: string, query: PageQuery): Promise<Page<DeliveryAttemptView>> {
    await findOwnedEndpoint(this.dataSource.manager, merchantId, endpointId);
    const limit = query.limit ?? 20;
    const after = decodeCursor(query.cursor);
    if (after && !/^\d{1,18}$/.test(after.id)) {
      throw new ProblemException(CommonErrors.ValidationFailed, 'cursor is not a cursor this API returned', [
        { field: 'cursor', code: 'invalid_cursor', message: 'cursor is not a cursor this API returned' },
      ]);
    }
    const rows: AttemptRow[] = await this.dataSource.query(
      `SELECT a.id, d.webhook_id, d.type, a.attempt, a.status, a.response_status, a.error, a.at, a.next_attempt_at
       FROM notification.delivery_attempts a JOIN notification.deliveries d ON d.id = a.delivery_id
       WHERE d.endpoint_id = $1 AND ($2::timestamptz IS NULL OR (a.at, a.id) < ($2, $3::bigint))
       ORDER BY a.at DESC, a.id DESC LIMIT $4`,
      [endpointId, after?.at ?? null, after?.id ?? '0', limit + 1],
    );
    return toPage(rows, limit, (row) => ({ at: row.at, id: String(row.id) }), (row) => ({
      eventId: row.webhook_id,
      type: row.type,
      attempt: row.attempt,
      status: row.status,
      responseStatus: row.response_status,
      error: row.error,
      at: row.at.toISOString(),
      nextAttemptAt: row.next_attempt_at?.toISOString() ?? null,
    }));
  }

  /**
   * Sends the event again now, whatever its state: a failed delivery gets one more attempt. A delivery whose
   * request is out right now is left alone, so a retry never makes two concurrent sends.
   */
  async retryNow(merchantId: string, endpointId: string, eventId: string): Promise<DeliveryView> {
    const endpoint = await findOwnedEndpoint(this.dataSource.manager, merchantId, endpointId);
    if (!endpoint.enabled) throw new ProblemException(DeliveryErrors.EndpointDisabled);
    await this.dataSource.query(
      `UPDATE notification.deliveries SET status = 'pending', next_attempt_at = now(), updated_at = now()
       WHERE endpoint_id = $1 AND webhook_id = $2 AND (locked_until IS NULL OR locked_until < now())`,
      [endpointId, eventId],
    );
    const [row]: Array<{ webhook_id: string; type: string; status: DeliveryView['status']; attempts: number; next_attempt_at: Date | null }> =
      await this.dataSource.query(
        'SELECT webhook_id, type, status, attempts, next_attempt_at FROM notification.deliveries WHERE endpoint_id = $1 AND webhook_id = $2',
        [endpointId, eventId],
      );
    if (!row) throw new ProblemException(DeliveryErrors.NotFound);
    this.worker.wake();
    return { eventId: row.webhook_id, type: row.type, status: row.status, attempts: row.attempts, nextAttemptAt: row.next_attempt_at?.toISOString() ?? null };
  }
}
