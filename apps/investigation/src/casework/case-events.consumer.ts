import { Controller } from '@nestjs/common';
import { EventBatchOf, OnEventBatch } from '@recourse/platform';
import { CASE_EVENT_TYPES, CaseEventType } from './case-events.reducer';
import { CaseEventsService } from './case-events.service';

@Controller()
export class CaseEventsConsumer {
  constructor(private readonly events: CaseEventsService) {}

  /** The customer's messages, withdrawal requests and appeals (intake topic) and the money (refund topic), a run at a time. */
  @OnEventBatch(CASE_EVENT_TYPES)
  onCaseEvents(batch: EventBatchOf<CaseEventType>) {
    return this.events.applyAll(batch);
  }
}
