import { Controller } from '@nestjs/common';
import { EventBatchOf, OnEventBatch } from '@recourse/platform';
import { PaymentsService } from './payments.service';

/**
 * Investigation's own copy of the wallet's payments. Recorded once per payment id: replays change nothing.
 * A run of payment.recorded is copied with one multi-row insert in the batch's transaction.
 */
@Controller()
export class PaymentsConsumer {
  constructor(private readonly payments: PaymentsService) {}

  @OnEventBatch(['payment.recorded'])
  onPaymentsRecorded({ events, manager }: EventBatchOf<'payment.recorded'>): Promise<void> {
    return this.payments.record(manager, events.map((event) => event.data));
  }
}
