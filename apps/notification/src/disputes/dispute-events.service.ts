import { Injectable } from '@nestjs/common';
import { Event, EventEnvelope } from '@recourse/contracts';
import { Inbox } from '@recourse/platform';
import { EntityManager } from 'typeorm';
import { DeliveriesService } from '../deliveries/deliveries.service';
import { NotificationsService } from '../inbox/notifications.service';
import { findDisputeCopy, storeDisputeCopy } from './dispute-copy';
import { disputeCreated, disputeRefunded, disputeRejected, disputeWithdrawn, evidenceRequested } from './webhook-payloads';

/**
 * Turns dispute events into the customer's inbox entries and the merchant's webhooks. Each event is applied
 * once (inbox): a redelivery makes no second entry and no second webhook.
 */
@Injectable()
export class DisputeEventsService {
  constructor(
    private readonly inbox: Inbox,
    private readonly notifications: NotificationsService,
    private readonly deliveries: DeliveriesService,
  ) {}

  async onSubmitted(event: Event<'dispute.submitted'>): Promise<void> {
    await this.apply(event, async (manager, disputeId) => {
      const data = event.data;
      await storeDisputeCopy(manager, disputeId, data);
      await this.notifications.add(manager, {
        cause: event, disputeId, customerId: data.customerId, type: 'dispute.submitted', template: 'dispute.submitted', locale: data.locale,
        params: { money: { amount: { amount: data.amount, currency: data.currency } } },
      });
      await this.deliveries.enqueue(manager, { cause: event, merchantId: data.merchantId, type: 'dispute.created', data: disputeCreated(disputeId, data) });
    });
  }

  /** A rejection is final news now; an approval is told when the money is booked (refund.succeeded). */
  async onDecided(event: Event<'case.decided'>): Promise<void> {
    if (event.data.outcome !== 'reject') return;
    await this.apply(event, async (manager, disputeId) => {
      const data = event.data;
      const copy = await findDisputeCopy(manager, disputeId);
      await this.notifications.add(manager, {
        cause: event, disputeId, customerId: copy?.customer_id ?? data.customerId, type: 'dispute.rejected', template: 'dispute.rejected',
        locale: copy?.locale ?? data.locale,
        params: { money: { amount: { amount: data.disputedAmount, currency: data.currency } }, text: { explanation: data.explanation } },
      });
      await this.deliveries.enqueue(manager, {
        cause: event, merchantId: copy?.merchant_id ?? data.merchantId, type: 'dispute.resolved', data: disputeRejected(disputeId, data, event.occurredAt),
      });
    });
  }

  /** Only a refund resolves the dispute; a provisional credit is not an outcome. */
  async onRefunded(event: Event<'refund.succeeded'>): Promise<void> {
    if (event.data.kind !== 'refund') return;
    await this.apply(event, async (manager, disputeId) => {
      const data = event.data;
      const copy = await findDisputeCopy(manager, disputeId);
      const partial = data.outcome === 'partially_refunded';
      await this.notifications.add(manager, {
        cause: event, disputeId, customerId: copy?.customer_id ?? data.customerId, type: 'refund.succeeded',
        template: partial ? 'refund.partially_refunded' : 'refund.succeeded', locale: copy?.locale ?? data.locale,
        params: { money: { amount: { amount: data.amount, currency: data.currency }, disputedAmount: { amount: data.disputedAmount, currency: data.currency } } },
      });
      await this.deliveries.enqueue(manager, {
        cause: event, merchantId: copy?.merchant_id ?? data.merchantId, type: 'dispute.resolved',
        data: disputeRefunded(disputeId, copy?.payment_id ?? null, data, event.occurredAt),
      });
    });
  }

  /** The merchant stops working on it; the customer needs no word, having withdrawn it themselves. */
  async onWithdrawn(event: Event<'dispute.withdrawn'>): Promise<void> {
    await this.apply(event, async (manager, disputeId) => {
      const copy = await findDisputeCopy(manager, disputeId);
      // Same topic and key as dispute.submitted, so the copy is here unless that event was dead-lettered.
      if (!copy) throw new Error(`dispute.withdrawn ${event.id}: dispute ${disputeId} is unknown here`);
      await this.deliveries.enqueue(manager, {
        cause: event, merchantId: copy.merchant_id, type: 'dispute.withdrawn', data: disputeWithdrawn(disputeId, copy.payment_id, event.occurredAt),
      });
    });
  }

  async onEvidenceRequested(event: Event<'case.merchant_evidence_requested'>): Promise<void> {
    await this.apply(event, async (manager, disputeId) => {
      const copy = await findDisputeCopy(manager, disputeId);
      const merchantId = event.data.merchantId ?? copy?.merchant_id;
      if (!merchantId) throw new Error(`case.merchant_evidence_requested ${event.id} names no merchant`);
      await this.deliveries.enqueue(manager, {
        cause: event, merchantId, type: 'dispute.evidence_requested', data: evidenceRequested(disputeId, copy?.payment_id ?? null, event.data),
      });
    });
  }

  private async apply(event: EventEnvelope, effect: (manager: EntityManager, disputeId: string) => Promise<void>): Promise<void> {
    const disputeId = event.disputeId;
    // A producer's bug, not an outcome: failing sends the event to the dead-letter topic instead of dropping it.
    if (!disputeId) throw new Error(`${event.type} ${event.id} carries no disputeId`);
    const applied = await this.inbox.once(event, (manager) => effect(manager, disputeId));
    // After commit, so the worker sees the new rows.
    if (applied) this.deliveries.wake();
  }
}
