import { Injectable } from '@nestjs/common';
import { Event, EventEnvelope } from '@recourse/contracts';
import { Inbox } from '@recourse/platform';
import { EntityManager } from 'typeorm';
import { DeliveriesService } from '../deliveries/deliveries.service';
import { NotificationsService } from '../inbox/notifications.service';
import { applyOnce, customerAddress } from './apply-once';
import { findDisputeCopy, storeDisputeCopy } from './dispute-copy';
import { disputeCreated, disputeRefunded, disputeRejected, disputeWithdrawn, evidenceRequested } from './webhook-payloads';

/**
 * The dispute events both sides hear of: the customer's inbox entries and the merchant's webhooks. Each event
 * is applied once (inbox): a redelivery makes no second entry and no second webhook.
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

  /**
   * A rejection is final news for both sides. An approval tells the customer the money is on its way; the
   * merchant hears when it is booked (refund.succeeded carries the amounts that resolved the dispute).
   */
  async onDecided(event: Event<'case.decided'>): Promise<void> {
    await this.apply(event, async (manager, disputeId) => {
      const data = event.data;
      const copy = await findDisputeCopy(manager, disputeId);
      const address = customerAddress(event, copy, data);
      if (data.outcome === 'approve') {
        await this.notifications.add(manager, {
          cause: event, disputeId, ...address, type: 'dispute.approved', template: 'dispute.approved',
          params: { money: { amount: { amount: data.refundAmount, currency: data.currency }, disputedAmount: { amount: data.disputedAmount, currency: data.currency } } },
        });
        return;
      }
      await this.notifications.add(manager, {
        cause: event, disputeId, ...address, type: 'dispute.rejected', template: 'dispute.rejected',
        params: { money: { amount: { amount: data.disputedAmount, currency: data.currency } }, text: { explanation: data.explanation } },
      });
      await this.deliveries.enqueue(manager, {
        cause: event, merchantId: copy?.merchant_id ?? data.merchantId, type: 'dispute.resolved', data: disputeRejected(disputeId, data, event.occurredAt),
      });
    });
  }

  /** Only a refund resolves the dispute; a provisional credit is not an outcome (see CustomerNewsService). */
  async onRefunded(event: Event<'refund.succeeded'>): Promise<void> {
    if (event.data.kind !== 'refund') return;
    await this.apply(event, async (manager, disputeId) => {
      const data = event.data;
      const copy = await findDisputeCopy(manager, disputeId);
      const partial = data.outcome === 'partially_refunded';
      await this.notifications.add(manager, {
        cause: event, disputeId, ...customerAddress(event, copy, data), type: 'refund.succeeded',
        template: partial ? 'refund.partially_refunded' : 'refund.succeeded',
        params: { money: { amount: { amount: data.amount, currency: data.currency }, disputedAmount: { amount: data.disputedAmount, currency: data.currency } } },
      });
      await this.deliveries.enqueue(manager, {
        cause: event, merchantId: copy?.merchant_id ?? data.merchantId, type: 'dispute.resolved',
        data: disputeRefunded(disputeId, copy?.payment_id ?? null, data, event.occurredAt),
      });
    });
  }

  /**
   * Confirmed by investigation (intake publishes it only then), so no refund follows: the merchant stops
   * working on it, and the customer's inbox records that the withdrawal took effect.
   */
  async onWithdrawn(event: Event<'dispute.withdrawn'>): Promise<void> {
    await this.apply(event, async (manager, disputeId) => {
      const copy = await findDisputeCopy(manager, disputeId);
      // Same topic and key as dispute.submitted, so the copy is here unless that event was dead-lettered.
      if (!copy) throw new Error(`dispute.withdrawn ${event.id}: dispute ${disputeId} is unknown here`);
      await this.notifications.add(manager, {
        cause: event, disputeId, customerId: copy.customer_id, locale: copy.locale, type: 'dispute.withdrawn', template: 'dispute.withdrawn',
        params: { money: { amount: { amount: Number(copy.amount), currency: copy.currency } } },
      });
      await this.deliveries.enqueue(manager, {
        cause: event, merchantId: copy.merchant_id, type: 'dispute.withdrawn', data: disputeWithdrawn(disputeId, copy.payment_id, event.occurredAt),
      });
    });
  }

  /** The merchant is asked (webhook); the customer learns their dispute now waits on the merchant. */
  async onEvidenceRequested(event: Event<'case.merchant_evidence_requested'>): Promise<void> {
    await this.apply(event, async (manager, disputeId) => {
      const copy = await findDisputeCopy(manager, disputeId);
      const merchantId = event.data.merchantId ?? copy?.merchant_id;
      if (!merchantId) throw new Error(`case.merchant_evidence_requested ${event.id} names no merchant`);
      await this.notifications.add(manager, {
        cause: event, disputeId, ...customerAddress(event, copy, event.data), type: 'dispute.merchant_contacted', template: 'dispute.merchant_contacted', params: {},
      });
      await this.deliveries.enqueue(manager, {
        cause: event, merchantId, type: 'dispute.evidence_requested', data: evidenceRequested(disputeId, copy?.payment_id ?? null, event.data),
      });
    });
  }

  private async apply(event: EventEnvelope, effect: (manager: EntityManager, disputeId: string) => Promise<void>): Promise<void> {
    // A queued delivery wakes the worker itself, once the batch's transaction commits (DeliveriesService.enqueue).
    await applyOnce(this.inbox, event, effect);
  }
}
