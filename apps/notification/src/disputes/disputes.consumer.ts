import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { EventBatch, EventBatchOf } from '@recourse/platform';
import { INTAKE_NEWS, INVESTIGATION_NEWS, REFUND_NEWS } from './dispute-news';
import { DisputeNewsService } from './dispute-news.service';

/** One batch handler per topic: a run holds every type of that topic this service tells someone about. */
@Controller()
export class DisputesConsumer {
  constructor(private readonly news: DisputeNewsService) {}

  @EventBatch(INTAKE_NEWS)
  onIntake(@Payload() { events, manager }: EventBatchOf<(typeof INTAKE_NEWS)[number]>) {
    return this.news.apply(manager, events);
  }

  @EventBatch(INVESTIGATION_NEWS)
  onInvestigation(@Payload() { events, manager }: EventBatchOf<(typeof INVESTIGATION_NEWS)[number]>) {
    return this.news.apply(manager, events);
  }

  @EventBatch(REFUND_NEWS)
  onRefund(@Payload() { events, manager }: EventBatchOf<(typeof REFUND_NEWS)[number]>) {
    return this.news.apply(manager, events);
  }
}
