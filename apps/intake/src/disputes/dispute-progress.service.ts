import { Injectable } from '@nestjs/common';
import { DisputeOutcome, DisputeStatus, Event } from '@recourse/contracts';
import { addMs, statusAfterDecision, statusAfterRefund } from '@recourse/domain';
import { Inbox } from '@recourse/platform';
import { EntityManager } from 'typeorm';
import { IntakeConfig } from '../intake.config';
import { DisputeRow } from './dispute.row';
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

  async onDecided(event: Event<'case.decided'>): Promise<void> {
    await this.inbox.once(event, async (manager) => {
      const dispute = await lockDispute(manager, event.disputeId);
      if (!dispute) return;
      const status = statusAfterDecision(dispute.status, event.data.outcome);
      if (status === dispute.status) return;
      const decidedAt = new Date(event.occurredAt);
      if (status === 'rejected') {
        const deadlines = { ...dispute.deadlines, appealBy: addMs(decidedAt, this.appealWindowMs).toISOString() };
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

async function lockDispute(manager: EntityManager, id: string | null): Promise<DisputeRow | undefined> {
  if (!id) return undefined;
  const [row]: DisputeRow[] = await manager.query('SELECT * FROM intake.disputes WHERE id = $1 FOR UPDATE', [id]);
  return row;
}

type Changes = Partial<{ status: DisputeStatus; outcome: DisputeOutcome; refunded_amount: number; deadlines: object }>;

async function update(manager: EntityManager, id: string, changes: Changes): Promise<void> {
  const columns = Object.keys(changes);
  const assignments = columns.map((column, index) => `${column} = $${index + 2}`).join(', ');
  await manager.query(`UPDATE intake.disputes SET ${assignments}, updated_at = now() WHERE id = $1`, [id, ...Object.values(changes)]);
}
