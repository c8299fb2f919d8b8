import { Injectable } from '@nestjs/common';
import { CustomerAddress, Event, EventEnvelope } from '@recourse/contracts';
import { Inbox } from '@recourse/platform';
import { NotificationsService } from '../inbox/notifications.service';
import { TemplateKey, TextParams } from '../inbox/templates';
import { applyOnce, customerAddress } from './apply-once';
import { findDisputeCopy } from './dispute-copy';

/**
 * Dispute events only the customer hears of (no webhook type carries them): one inbox entry each, in the
 * dispute's locale, applied once whatever Kafka redelivers.
 */
@Injectable()
export class CustomerNewsService {
  constructor(
    private readonly inbox: Inbox,
    private readonly notifications: NotificationsService,
  ) {}

  /** The investigator's question is shown as written: the customer answers it in the app. */
  async onInfoRequested(event: Event<'case.customer_info_requested'>): Promise<void> {
    await this.tell(event, event.data, 'dispute.info_requested', { text: { message: event.data.message } });
  }

  async onAppealed(event: Event<'dispute.appealed'>): Promise<void> {
    // Same topic and key as dispute.submitted, so the copy is normally here; the event's own address is the fallback.
    await this.tell(event, event.data as Partial<CustomerAddress>, 'dispute.appeal_received', {});
  }

  /** Only the resolution deadline is the customer's business; the others are the investigators'. */
  async onSlaBreached(event: Event<'case.sla_breached'>): Promise<void> {
    if (event.data.deadline !== 'resolution') return;
    await this.tell(event, event.data, 'dispute.overdue', {});
  }

  async onProvisionalCredit(event: Event<'provisional_credit.issued' | 'provisional_credit.reversed'>): Promise<void> {
    const money = { amount: { amount: event.data.amount, currency: event.data.currency } };
    await this.tell(event, event.data, event.type, { money });
  }

  /**
   * A refund that could not be booked yet: an apology, since the customer was told it is on its way. A failed
   * provisional credit was never announced, so it is not the customer's news.
   */
  async onRefundFailed(event: Event<'refund.failed'>): Promise<void> {
    if (event.data.kind !== 'refund') return;
    await this.tell(event, event.data, 'refund.delayed', { money: { amount: { amount: event.data.amount, currency: event.data.currency } } });
  }

  /** One entry, whose type is also its template's key. */
  private async tell(event: EventEnvelope, carried: Partial<CustomerAddress>, type: TemplateKey, params: TextParams): Promise<void> {
    await applyOnce(this.inbox, event, async (manager, disputeId) => {
      const address = customerAddress(event, await findDisputeCopy(manager, disputeId), carried);
      await this.notifications.add(manager, { cause: event, disputeId, ...address, type, template: type, params });
    });
  }
}
