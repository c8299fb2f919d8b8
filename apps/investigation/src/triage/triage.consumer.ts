import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { Event } from '@recourse/contracts';
import { CaseOpeningService } from './case-opening.service';

@Controller()
export class TriageConsumer {
  constructor(private readonly opening: CaseOpeningService) {}

  @EventPattern('dispute.submitted')
  onDisputeSubmitted(@Payload() event: Event<'dispute.submitted'>) {
    return this.opening.open(event);
  }
}
