import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { EventBatch, EventBatchOf } from '@recourse/platform';
import { CaseOpeningService } from './case-opening.service';

@Controller()
export class TriageConsumer {
  constructor(private readonly opening: CaseOpeningService) {}

  @EventBatch(['dispute.submitted'])
  onDisputesSubmitted(@Payload() batch: EventBatchOf<'dispute.submitted'>) {
    return this.opening.openAll(batch);
  }
}
