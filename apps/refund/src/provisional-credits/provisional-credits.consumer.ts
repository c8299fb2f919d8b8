import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { Event } from '@recourse/contracts';
import { ProvisionalCreditService } from './provisional-credit.service';

@Controller()
export class ProvisionalCreditsConsumer {
  constructor(private readonly credits: ProvisionalCreditService) {}

  @EventPattern('case.provisional_credit_due')
  onDue(@Payload() event: Event<'case.provisional_credit_due'>) {
    return this.credits.onDue(event);
  }
}
