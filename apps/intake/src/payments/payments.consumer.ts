import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { Event } from '@recourse/contracts';
import { PaymentsService } from './payments.service';

@Controller()
export class PaymentsConsumer {
  constructor(private readonly payments: PaymentsService) {}

  @EventPattern('payment.recorded')
  async onPaymentRecorded(@Payload() event: Event<'payment.recorded'>): Promise<void> {
    await this.payments.record(event.data);
  }
}
