import { Controller } from '@nestjs/common';
import { EventBatchOf, OnEventBatch } from '@recourse/platform';
import { incidentNews, merchantNews } from './merchant-news.mapper';
import { DeliveriesService } from '../deliveries/deliveries.service';

/**
 * News about a merchant rather than one dispute (its dispute rate, an incident of its disputes): the merchant's webhooks only. Such a webhook has no dispute,
 * so the per-dispute delivery order neither holds it nor is held by it (delivery-claims: inOrder). A run is
 * queued with one statement; the inbox makes a redelivery queue nothing.
 */
@Controller()
export class MerchantNewsConsumer {
  constructor(private readonly deliveries: DeliveriesService) {}

  @OnEventBatch(['merchant.dispute_rate_changed'])
  async onDisputeRateChanged({ events, manager }: EventBatchOf<'merchant.dispute_rate_changed'>): Promise<void> {
    await this.deliveries.enqueueAll(manager, events.map(merchantNews));
  }

  @OnEventBatch(['incident.opened'])
  async onIncidentOpened({ events, manager }: EventBatchOf<'incident.opened'>): Promise<void> {
    await this.deliveries.enqueueAll(manager, events.map(incidentNews));
  }
}
