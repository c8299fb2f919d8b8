import { Injectable } from '@nestjs/common';
import { EventEnvelope, WebhookEventType } from '@recourse/contracts';
import { afterCommit, CommonErrors, decodeCursor, Page, PageQuery, ProblemException, RawBuilder, rows, toPage } from '@recourse/platform';
import { EntityManager } from 'typeorm';
import { EndpointsService } from '../endpoints/endpoints.service';
import { DeliveryErrors } from './deliveries.errors';
import { DeliveriesRepository } from './deliveries.repository';
import { DeliveryWorker } from './delivery.worker';
import { DeliveryAttemptView, DeliveryView } from './dto/delivery.view';

export interface NewWebhook {
  /** The event that caused it: its id is the webhook-id, and its time the body's `timestamp`. */
  cause: EventEnvelope;
  merchantId: string;
  type: WebhookEventType;
  data: object;
}

@Injectable()
export class DeliveriesService {
  private readonly wakeWorker = () => this.worker.wake();

  constructor(
    private readonly deliveries: DeliveriesRepository,
    private readonly endpoints: EndpointsService,
    private readonly worker: DeliveryWorker,
  ) {}

  /**
   * Queues each webhook for each of its merchant's enabled endpoints that subscribed to its type, in the
   * caller's transaction, with one statement; answers how many deliveries were queued.
   */
  async enqueueAll(manager: EntityManager, webhooks: readonly NewWebhook[]): Promise<number> {
    const statement = this.enqueueing(webhooks);
    if (!statement) return 0;
    const queued = (await rows(manager, statement)).length;
    this.enqueued(manager, queued);
    return queued;
  }

  /**
   * The statement `enqueueAll` runs, for a caller that ends a statement of its own with it (`together`, this
   * last: its rows are the deliveries queued) and then calls `enqueued`; null when there is no webhook. The
   * body is fixed now, so every retry sends the very same bytes. Deliveries take ids in the webhooks' order
   * (an endpoint's deliveries of one dispute are sent in id order: see delivery-claims).
   */
  enqueueing(webhooks: readonly NewWebhook[]): RawBuilder<{ id: number }> | null {
    if (webhooks.length === 0) return null;
    return this.deliveries.enqueue(webhooks.map((webhook) => ({
      merchantId: webhook.merchantId,
      webhookId: webhook.cause.id,
      type: webhook.type,
      body: JSON.stringify({ type: webhook.type, timestamp: webhook.cause.occurredAt, data: webhook.data }),
      disputeId: webhook.cause.disputeId,
      correlationId: webhook.cause.correlationId,
    })));
  }

  /** `manager` queued `queued` deliveries: the worker is woken once its transaction commits, and only then (most events queue none). */
  enqueued(manager: EntityManager, queued: number): void {
    if (queued > 0) afterCommit(manager, this.wakeWorker);
  }

  /** Every attempt to the merchant's endpoint, newest first. */
  async attempts(merchantId: string, endpointId: string, query: PageQuery): Promise<Page<DeliveryAttemptView>> {
    await this.endpoints.owned(merchantId, endpointId);
    const limit = query.limit ?? 20;
    const after = decodeCursor(query.cursor);
    if (after && !/^\d{1,18}$/.test(after.id)) {
      throw new ProblemException(CommonErrors.ValidationFailed, 'cursor is not a cursor this API returned', [
        { field: 'cursor', code: 'invalid_cursor', message: 'cursor is not a cursor this API returned' },
      ]);
    }
    const rows = await this.deliveries.attempts(endpointId, after, limit + 1);
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
    const endpoint = await this.endpoints.owned(merchantId, endpointId);
    if (!endpoint.enabled) throw new ProblemException(DeliveryErrors.EndpointDisabled);
    await this.deliveries.makeDue(endpointId, eventId);
    const row = await this.deliveries.state(endpointId, eventId);
    if (!row) throw new ProblemException(DeliveryErrors.NotFound);
    this.worker.wake();
    return { eventId: row.webhook_id, type: row.type, status: row.status, attempts: row.attempts, nextAttemptAt: row.next_attempt_at?.toISOString() ?? null };
  }
}
