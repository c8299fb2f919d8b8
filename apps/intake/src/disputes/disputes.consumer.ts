import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { Event } from '@recourse/contracts';
import { DisputeProgressService } from './dispute-progress.service';

@Controller()
export class DisputesConsumer {
  constructor(private readonly progress: DisputeProgressService) {}

  @EventPattern('case.triaged')
  onTriaged(@Payload() event: Event<'case.triaged'>) {
    return this.progress.onTriaged(event);
  }

  @EventPattern('case.decided')
  onDecided(@Payload() event: Event<'case.decided'>) {
    return this.progress.onDecided(event);
  }

  @EventPattern('refund.succeeded')
  onRefunded(@Payload() event: Event<'refund.succeeded'>) {
    return this.progress.onRefunded(event);
  }
}
