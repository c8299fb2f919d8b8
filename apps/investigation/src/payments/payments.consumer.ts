import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { Event } from '@recourse/contracts';
import { inEventTransaction } from '@recourse/platform';
import { DataSource } from 'typeorm';
import { recordPayment } from './record-payment';

/**
 * Investigation's own copy of the wallet's payments. Recorded once per payment id: replays change nothing.
 * Written in the consumer batch's transaction.
 */
@Controller()
export class PaymentsConsumer {
  constructor(private readonly dataSource: DataSource) {}

  @EventPattern('payment.recorded')
  async onPaymentRecorded(@Payload() event: Event<'payment.recorded'>): Promise<void> {
    await inEventTransaction(this.dataSource, (manager) => recordPayment(manager, event.data));
  }
}
