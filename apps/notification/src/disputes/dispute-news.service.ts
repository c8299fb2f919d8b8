import { Injectable } from '@nestjs/common';
import { Outbox, rows, together } from '@recourse/platform';
import { EntityManager } from 'typeorm';
import { DeliveriesService } from '../deliveries/deliveries.service';
import { NotificationsService } from '../inbox/notifications.service';
import { copiesNeeded, disputeNews, NewsEvent } from './dispute-news.reducer';
import { DisputesRepository } from './disputes.repository';

/**
 * The dispute events both sides hear of: the customer's inbox entries and the merchant's webhooks. A run of
 * events (already claimed in the inbox: a redelivery makes no second entry and no second webhook) is applied
 * with two statements: one read of the copies it needs, then one that writes everything together: the new
 * copies, the inbox entries, their notification.sent events and the deliveries. Who hears what is decided
 * in `disputeNews`, for the whole run at once.
 */
@Injectable()
export class DisputeNewsService {
  constructor(
    private readonly disputes: DisputesRepository,
    private readonly notifications: NotificationsService,
    private readonly deliveries: DeliveriesService,
    private readonly outbox: Outbox,
  ) {}

  async apply(manager: EntityManager, events: readonly NewsEvent[]): Promise<void> {
    const known = await this.disputes.find(manager, copiesNeeded(events));
    const news = disputeNews(events, known);
    const messages = this.notifications.compose(news.notifications);
    const deliveries = this.deliveries.enqueueing(news.webhooks);
    // The writes touch different tables, so one snapshot for all of them changes nothing; the deliveries go
    // last, so the statement's rows are the deliveries queued.
    const writes = together([
      this.disputes.store(news.copies),
      messages.insert,
      messages.events.length > 0 ? this.outbox.insert(messages.events) : null,
      deliveries,
    ]);
    if (!writes) return;
    const written = await rows(manager, writes);
    if (messages.events.length > 0) this.outbox.written(manager);
    if (deliveries) this.deliveries.enqueued(manager, written.length);
  }
}
