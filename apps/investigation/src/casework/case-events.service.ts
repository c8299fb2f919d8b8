import { Injectable } from '@nestjs/common';
import { Event } from '@recourse/contracts';
import { transition } from '@recourse/domain';
import { causedBy, Inbox, newEvent } from '@recourse/platform';
import { CaseWriter } from '../cases/case-writer';
import { stateOf } from '../cases/case.view';

/** Other services' news about a case: the customer's messages, withdrawal requests and appeal; the money. */
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

  /**
   * The decision's owner settles a withdrawal: under the case's row lock, against any decision, so exactly one
   * of them wins. An open case closes as withdrawn (`case.withdrawn`); a decided or closed one refuses it
   * (`case.withdrawal_refused`), and intake tells the customer so.
   */
  async onWithdrawalRequested(event: Event<'dispute.withdrawal_requested'>): Promise<void> {
    await this.inbox.once(event, async (manager) => {
      const row = await this.writer.lockIfExists(manager, event.disputeId);
      if (!row) return;
      const answer = { disputeId: row.id, actor: event.actor, ...causedBy(event) };
      const reason = event.data.reason ?? null;
      if (transition(stateOf(row), { type: 'withdraw' }).ok) {
        await this.writer.change(manager, row, { type: 'withdraw' }, {
          actor: event.actor, action: 'case.withdrawn', data: { reason }, columns: { outcome: 'withdrawn' },
          events: [newEvent('case.withdrawn', { ...answer, data: { requestId: event.id, reason } })],
        });
        return;
      }
      await this.writer.note(manager, row, {
        actor: event.actor, action: 'case.withdrawal_refused', data: { reason, status: row.status },
        events: [newEvent('case.withdrawal_refused', { ...answer, data: { requestId: event.id, status: row.status } })],
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
