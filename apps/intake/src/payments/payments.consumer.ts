import { Controller } from '@nestjs/common';
import { EventBatchOf, OnEventBatch } from '@recourse/platform';
import { PaymentsRepository } from './payments.repository';

@Controller()
export class PaymentsConsumer {
  constructor(private readonly payments: PaymentsRepository) {}

  /** The wallet core's payments, a partition's consecutive ones with one INSERT. */
  @OnEventBatch(['payment.recorded'])
  async onPaymentsRecorded({ events, manager }: EventBatchOf<'payment.recorded'>): Promise<void> {
    await this.payments.record(manager, events.map((event) => event.data));
  }
}
