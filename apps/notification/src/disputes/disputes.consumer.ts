import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { Event } from '@recourse/contracts';
import { DisputeEventsService } from './dispute-events.service';

@Controller()
export class DisputesConsumer {
  constructor(private readonly events: DisputeEventsService) {}

  @EventPattern('dispute.submitted')
  onSubmitted(@Payload() event: Event<'dispute.submitted'>) {
    return this.events.onSubmitted(event);
  }

  @EventPattern('dispute.withdrawn')
  onWithdrawn(@Payload() event: Event<'dispute.withdrawn'>) {
    return this.events.onWithdrawn(event);
  }

  @EventPattern('case.merchant_evidence_requested')
  onEvidenceRequested(@Payload() event: Event<'case.merchant_evidence_requested'>) {
    return this.events.onEvidenceRequested(event);
  }

  @EventPattern('case.decided')
  onDecided(@Payload() event: Event<'case.decided'>) {
    return this.events.onDecided(event);
  }

  @EventPattern('refund.succeeded')
  onRefunded(@Payload() event: Event<'refund.succeeded'>) {
    return this.events.onRefunded(event);
  }
}
