import { Controller } from '@nestjs/common';
import { EventBatchOf, OnEventBatch } from '@recourse/platform';
import { CaseOpeningService } from './case-opening.service';

@Controller()
export class TriageConsumer {
  constructor(private readonly opening: CaseOpeningService) {}

  @OnEventBatch(['dispute.submitted'])
  onDisputesSubmitted(batch: EventBatchOf<'dispute.submitted'>) {
    return this.opening.openAll(batch);
  }
}
