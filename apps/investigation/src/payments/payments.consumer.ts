import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { Event } from '@recourse/contracts';
import { eventManager } from '@recourse/platform';
import { DataSource } from 'typeorm';

/**
 * Investigation's own copy of the wallet's payments. Recorded once per payment id: replays change nothing.
 * Written in the consumer batch's transaction.
 */
@Controller()
export class PaymentsConsumer {
  constructor(private readonly dataSource: DataSource) {}

  @EventPattern('payment.recorded')
  async onPaymentRecorded(@Payload() event: Event<'payment.recorded'>): Promise<void> {
    const payment = event.data;
    await eventManager(this.dataSource).query(
      `INSERT INTO investigation.payments (id, customer_id, merchant_id, amount, currency, status, debited, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING`,
      [payment.paymentId, payment.customerId, payment.merchantId, payment.amount, payment.currency, payment.status, payment.debited, payment.createdAt],
    );
  }
}
