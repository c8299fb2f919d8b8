import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DeliveriesService } from '../deliveries/deliveries.service';
import { NotificationsService } from '../inbox/notifications.service';
import { copiesNeeded, disputeNews, NewsEvent } from './dispute-news.reducer';
import { DisputesRepository } from './disputes.repository';

/**
 * The dispute events both sides hear of: the customer's inbox entries and the merchant's webhooks. A run of
 * events (already claimed in the inbox: a redelivery makes no second entry and no second webhook) is applied
 * with a fixed handful of statements: one read of the copies it needs, then one insert each of the new
 * copies, the inbox entries, their notification.sent events and the deliveries. Who hears what is decided
 * in `disputeNews`, for the whole run at once.
 */
@Injectable()
export class DisputeNewsService {
  constructor(
    private readonly disputes: DisputesRepository,
    private readonly notifications: NotificationsService,
    private readonly deliveries: DeliveriesService,
  ) {}

  async apply(manager: EntityManager, events: readonly NewsEvent[]): Promise<void> {
    const known = await this.disputes.find(manager, copiesNeeded(events));
    const news = disputeNews(events, known);
    await this.disputes.store(manager, news.copies);
    await this.notifications.addAll(manager, news.notifications);
    // A queued delivery wakes the worker itself, once the batch's transaction commits (DeliveriesService.enqueueAll).
    await this.deliveries.enqueueAll(manager, news.webhooks);
  }
}
