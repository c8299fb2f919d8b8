import { Injectable } from '@nestjs/common';
import { DisputeOutcome, DisputeStatus, Event } from '@recourse/contracts';
import { addMs, statusAfterCasework, statusAfterDecision, statusAfterRefund } from '@recourse/domain';
import { Inbox } from '@recourse/platform';
import { EntityManager } from 'typeorm';
import { IntakeConfig } from '../intake.config';
import { lockDispute } from './dispute-access';
import { addTimeline } from './disputes.service';

/**
 * Moves the customer's view of a dispute as investigation and refund report progress. Each event is
 * applied once (inbox); the dispute row is locked first so concurrent events for it apply in turn.
 */
@Injectable()
export class DisputeProgressService {
  private readonly appealWindowMs: number;

  constructor(
    private readonly inbox: Inbox,
    config: IntakeConfig,
  ) {
    this.appealWindowMs = config.clocks().appealWindowMs;
  }

  async onTriaged(event: Event<'case.triaged'>): Promise<void> {
    await this.inbox.once(event, async (manager) => {
      const dispute = await lockDispute(manager, event.disputeId);
      if (!dispute || event.data.result !== 'queued' || dispute.status !== 'submitted') return;
      await update(manager, dispute.id, { status: 'under_review' });
      await addTimeline(manager, dispute.id, 'under_review', {}, new Date(event.occurredAt));
    });
  }

  async onMerchantEvidenceRequested(event: Event<'case.merchant_evidence_requested'>): Promise<void> {
    await this.inbox.once(event, async (manager) => {
      const dispute = await lockDispute(manager, event.disputeId);
      if (!dispute) return;
      const status = statusAfterCasework(dispute.status, 'awaiting_merchant');
      await update(manager, dispute.id, { status, deadlines: { ...dispute.deadlines, merchantResponseBy: event.data.dueBy } });
      await addTimeline(manager, dispute.id, 'awaiting_merchant', { dueBy: event.data.dueBy }, new Date(event.occurredAt));
    });
  }

  async onCustomerInfoRequested(event: Event<'case.customer_info_requested'>): Promise<void> {
    await this.inbox.once(event, async (manager) => {
      const dispute = await lockDispute(manager, event.disputeId);
      if (!dispute) return;
      await update(manager, dispute.id, { status: statusAfterCasework(dispute.status, 'awaiting_customer') });
      await addTimeline(manager, dispute.id, 'awaiting_customer', { message: event.data.message }, new Date(event.occurredAt));
    });
  }

  async onMerchantResponded(event: Event<'case.merchant_responded'>): Promise<void> {
    await this.inbox.once(event, async (manager) => {
      const dispute = await lockDispute(manager, event.disputeId);
      if (!dispute) return;
      await update(manager, dispute.id, { status: statusAfterCasework(dispute.status, 'under_review') });
      await addTimeline(manager, dispute.id, 'merchant_responded', {}, new Date(event.occurredAt));
    });
  }

  /** Timeline-only news: the customer sees it, the status does not change. */
  async onNews(event: Event<'provisional_credit.issued' | 'provisional_credit.reversed' | 'case.sla_breached' | 'case.note_shared'>): Promise<void> {
    await this.inbox.once(event, async (manager) => {
      const dispute = await lockDispute(manager, event.disputeId);
      if (!dispute) return;
      const at = new Date(event.occurredAt);
      if (event.type === 'case.note_shared') {
        await addTimeline(manager, dispute.id, event.data.kind === 'call' ? 'call_recorded' : 'note_shared', { message: event.data.body }, at);
        return;
      }
      if (event.type === 'case.sla_breached') {
        if (event.data.deadline === 'resolution') await addTimeline(manager, dispute.id, 'deadline_passed', {}, at);
        return;
      }
      const type = event.type === 'provisional_credit.issued' ? 'provisional_credit_issued' : 'provisional_credit_reversed';
      await addTimeline(manager, dispute.id, type, { amount: event.data.amount, currency: event.data.currency }, at);
    });
  }

  async onDecided(event: Event<'case.decided'>): Promise<void> {
    await this.inbox.once(event, async (manager) => {
      const dispute = await lockDispute(manager, event.disputeId);
      if (!dispute) return;
      const status = statusAfterDecision(dispute.status, event.data.outcome);
      if (status === dispute.status) return;
      const decidedAt = new Date(event.occurredAt);
      if (status === 'rejected') {
        const appealBy = event.data.appealBy ?? addMs(decidedAt, this.appealWindowMs).toISOString();
        const deadlines = { ...dispute.deadlines, appealBy };
        await update(manager, dispute.id, { status, outcome: 'rejected', deadlines });
        await addTimeline(manager, dispute.id, 'rejected', { explanation: event.data.explanation }, decidedAt);
      } else {
        await update(manager, dispute.id, { status });
        await addTimeline(manager, dispute.id, 'approved', { amount: event.data.refundAmount, currency: event.data.currency }, decidedAt);
      }
    });
  }

  /** A dispute reads `refunded` only once the money is booked. */
  async onRefunded(event: Event<'refund.succeeded'>): Promise<void> {
    if (event.data.kind !== 'refund') return;
    await this.inbox.once(event, async (manager) => {
      const dispute = await lockDispute(manager, event.disputeId);
      if (!dispute) return;
      const status = statusAfterRefund(dispute.status);
      if (status === dispute.status) return;
      const outcome: DisputeOutcome = event.data.outcome;
      await update(manager, dispute.id, { status, outcome, refunded_amount: event.data.refundedTotal });
      await addTimeline(manager, dispute.id, outcome, { amount: event.data.amount, currency: event.data.currency }, new Date(event.occurredAt));
    });
  }
}

type Changes = Partial<{ status: DisputeStatus; outcome: DisputeOutcome; refunded_amount: number; deadlines: object }>;

async function update(manager: EntityManager, id: string, changes: Changes): Promise<void> {
  const columns = Object.keys(changes);
  const assignments = columns.map((column, index) => `${column} = $${index + 2}`).join(', ');
  await manager.query(`UPDATE intake.disputes SET ${assignments}, updated_at = now() WHERE id = $1`, [id, ...Object.values(changes)]);
}
