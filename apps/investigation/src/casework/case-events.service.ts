import { Injectable } from '@nestjs/common';
import { Event } from '@recourse/contracts';
import { Inbox } from '@recourse/platform';
import { CaseWriter } from '../cases/case-writer';

/** Other services' news about a case: the customer's messages, withdrawal and appeal; the money. */
@Injectable()
export class CaseEventsService {
  constructor(
    private readonly inbox: Inbox,
    private readonly writer: CaseWriter,
  ) {}

  /** The customer's answer brings a case that waited for it back to review. */
  async onMessage(event: Event<'dispute.message_added'>): Promise<void> {
    await this.inbox.once(event, async (manager) => {
      const row = await this.writer.lockIfExists(manager, event.disputeId);
      if (!row) return;
      const change = { actor: event.actor, action: 'customer.message_added', data: { messageId: event.data.messageId, attachments: event.data.attachmentCount } };
      if (row.status === 'awaiting_customer') await this.writer.change(manager, row, { type: 'customer_replied' }, change);
      else await this.writer.note(manager, row, change);
    });
  }

  async onWithdrawn(event: Event<'dispute.withdrawn'>): Promise<void> {
    await this.inbox.once(event, async (manager) => {
      const row = await this.writer.lockIfExists(manager, event.disputeId);
      if (!row) return;
      await this.writer.changeIfAllowed(manager, row, { type: 'withdraw' }, {
        actor: event.actor, action: 'case.withdrawn', data: { reason: event.data.reason ?? null }, columns: { outcome: 'withdrawn' },
      });
    });
  }

  /** A valid appeal reopens the case at once (CONTRACT §3); the earlier decision stays on the audit trail. */
  async onAppealed(event: Event<'dispute.appealed'>): Promise<void> {
    await this.inbox.once(event, async (manager) => {
      const row = await this.writer.lockIfExists(manager, event.disputeId);
      if (!row) return;
      await this.writer.changeIfAllowed(manager, row, { type: 'appeal' }, {
        actor: event.actor, action: 'case.appealed', data: { reason: event.data.reason, previousDecision: row.decision },
        columns: { decision: null, decided_at: null, outcome: null },
      });
    });
  }

  async onRefunded(event: Event<'refund.succeeded'>): Promise<void> {
    if (event.data.kind !== 'refund') return;
    await this.inbox.once(event, async (manager) => {
      const row = await this.writer.lockIfExists(manager, event.disputeId);
      if (!row) return;
      await this.writer.changeIfAllowed(manager, row, { type: 'refunded' }, {
        actor: event.actor, action: 'refund.succeeded', data: { refundId: event.data.refundId, amount: event.data.amount, liability: event.data.liability },
        columns: { outcome: event.data.outcome, refunded_amount: event.data.refundedTotal },
      });
    });
  }

  /** Visible on the case, so someone sees that the money did not move; an admin retries it in refund. */
  async onRefundFailed(event: Event<'refund.failed'>): Promise<void> {
    await this.inbox.once(event, async (manager) => {
      const row = await this.writer.lockIfExists(manager, event.disputeId);
      if (!row) return;
      await this.writer.change(manager, row, { type: 'flag', flag: 'refund_failed' }, {
        actor: event.actor, action: 'refund.failed', data: { refundId: event.data.refundId, code: event.data.code, detail: event.data.detail },
      });
    });
  }
}
