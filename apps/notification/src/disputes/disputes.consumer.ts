import { Controller } from '@nestjs/common';
import { EventBatchOf, OnEventBatch } from '@recourse/platform';
import { INTAKE_NEWS, INVESTIGATION_NEWS, REFUND_NEWS } from './dispute-news.reducer';
import { DisputeNewsService } from './dispute-news.service';

/** One batch handler per topic: a run holds every type of that topic this service tells someone about. */
@Controller()
export class DisputesConsumer {
  constructor(private readonly news: DisputeNewsService) {}

  @OnEventBatch(INTAKE_NEWS)
  onIntake({ events, manager }: EventBatchOf<(typeof INTAKE_NEWS)[number]>) {
    return this.news.apply(manager, events);
  }

  @OnEventBatch(INVESTIGATION_NEWS)
  onInvestigation({ events, manager }: EventBatchOf<(typeof INVESTIGATION_NEWS)[number]>) {
    return this.news.apply(manager, events);
  }

  @OnEventBatch(REFUND_NEWS)
  onRefund({ events, manager }: EventBatchOf<(typeof REFUND_NEWS)[number]>) {
    return this.news.apply(manager, events);
  }
}
