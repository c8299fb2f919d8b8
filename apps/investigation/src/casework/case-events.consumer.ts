import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { Event } from '@recourse/contracts';
import { CaseEventsService } from './case-events.service';

@Controller()
export class CaseEventsConsumer {
  constructor(private readonly events: CaseEventsService) {}

  @EventPattern('dispute.message_added')
  onMessage(@Payload() event: Event<'dispute.message_added'>) {
    return this.events.onMessage(event);
  }

  @EventPattern('dispute.withdrawal_requested')
  onWithdrawalRequested(@Payload() event: Event<'dispute.withdrawal_requested'>) {
    return this.events.onWithdrawalRequested(event);
  }

  @EventPattern('dispute.appealed')
  onAppealed(@Payload() event: Event<'dispute.appealed'>) {
    return this.events.onAppealed(event);
  }

  @EventPattern('refund.succeeded')
  onRefunded(@Payload() event: Event<'refund.succeeded'>) {
    return this.events.onRefunded(event);
  }

  @EventPattern('refund.failed')
  onRefundFailed(@Payload() event: Event<'refund.failed'>) {
    return this.events.onRefundFailed(event);
  }
}
