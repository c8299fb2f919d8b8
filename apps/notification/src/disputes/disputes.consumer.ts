import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { Event } from '@recourse/contracts';
import { CustomerNewsService } from './customer-news.service';
import { DisputeEventsService } from './dispute-events.service';

@Controller()
export class DisputesConsumer {
  constructor(
    private readonly events: DisputeEventsService,
    private readonly news: CustomerNewsService,
  ) {}

  @EventPattern('dispute.submitted')
  onSubmitted(@Payload() event: Event<'dispute.submitted'>) {
    return this.events.onSubmitted(event);
  }

  @EventPattern('dispute.withdrawn')
  onWithdrawn(@Payload() event: Event<'dispute.withdrawn'>) {
    return this.events.onWithdrawn(event);
  }

  @EventPattern('dispute.appealed')
  onAppealed(@Payload() event: Event<'dispute.appealed'>) {
    return this.news.onAppealed(event);
  }

  @EventPattern('case.merchant_evidence_requested')
  onEvidenceRequested(@Payload() event: Event<'case.merchant_evidence_requested'>) {
    return this.events.onEvidenceRequested(event);
  }

  @EventPattern('case.customer_info_requested')
  onInfoRequested(@Payload() event: Event<'case.customer_info_requested'>) {
    return this.news.onInfoRequested(event);
  }

  @EventPattern('case.decided')
  onDecided(@Payload() event: Event<'case.decided'>) {
    return this.events.onDecided(event);
  }

  @EventPattern('case.sla_breached')
  onSlaBreached(@Payload() event: Event<'case.sla_breached'>) {
    return this.news.onSlaBreached(event);
  }

  @EventPattern('refund.succeeded')
  onRefunded(@Payload() event: Event<'refund.succeeded'>) {
    return this.events.onRefunded(event);
  }

  @EventPattern('refund.failed')
  onRefundFailed(@Payload() event: Event<'refund.failed'>) {
    return this.news.onRefundFailed(event);
  }

  @EventPattern('provisional_credit.issued')
  onProvisionalCreditIssued(@Payload() event: Event<'provisional_credit.issued'>) {
    return this.news.onProvisionalCredit(event);
  }

  @EventPattern('provisional_credit.reversed')
  onProvisionalCreditReversed(@Payload() event: Event<'provisional_credit.reversed'>) {
    return this.news.onProvisionalCredit(event);
  }
}
