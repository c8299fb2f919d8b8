import { Injectable } from '@nestjs/common';
import { Event } from '@recourse/contracts';
import { canWithdraw } from '@recourse/domain';
import { causedBy, Inbox, newEvent, Outbox, Principal, ProblemException } from '@recourse/platform';
import { DataSource, EntityManager } from 'typeorm';
import { actorOf, lockDispute, lockDisputeFor } from './dispute-access';
import { DisputeRow, WithdrawalState } from './dispute.row';
import { DisputeErrors } from './disputes.errors';
import { addTimeline, DisputesService } from './disputes.service';
import { WithdrawDisputeDto } from './dto/dispute-actions.dto';
import { DisputeView } from './dto/dispute.view';

/**
 * A withdrawal races the decision, and only investigation owns the decision (a triage rule may approve the
 * case the instant it opens). So intake refuses at once what it already knows is decided, and otherwise
 * records a request (`dispute.withdrawal_requested`); investigation serialises it against decisions on the
 * case row and answers `case.withdrawn` or `case.withdrawal_refused`. Only a confirmed withdrawal makes the
 * dispute `withdrawn` and publishes `dispute.withdrawn`, so the dispute, the refund and both sides' news agree.
 */
@Injectable()
export class WithdrawalService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly inbox: Inbox,
    private readonly outbox: Outbox,
    private readonly disputes: DisputesService,
  ) {}

  /** 200 with `withdrawal.status: requested` while investigation confirms; asking again changes nothing. */
  async request(principal: Principal, id: string, body: WithdrawDisputeDto): Promise<DisputeView> {
    await this.dataSource.transaction(async (manager) => {
      const dispute = await lockDisputeFor(manager, principal, id);
      if (!canWithdraw(dispute.status)) throw new ProblemException(DisputeErrors.InvalidTransition, `a ${dispute.status} dispute cannot be withdrawn`);
      if (dispute.withdrawal?.status === 'requested') return;
      const event = newEvent('dispute.withdrawal_requested', { disputeId: id, actor: actorOf(principal), data: { reason: body.reason } });
      const withdrawal: WithdrawalState = { status: 'requested', requestedAt: event.occurredAt, requestId: event.id, reason: body.reason ?? null };
      await setWithdrawal(manager, id, withdrawal);
      await addTimeline(manager, id, 'withdrawal_requested', {}, new Date(event.occurredAt));
      await this.outbox.append(manager, [event]);
    });
    return this.disputes.get(principal, id);
  }

  /** Investigation closed the case undecided: the dispute is withdrawn, and now everyone may hear of it. */
  async onConfirmed(event: Event<'case.withdrawn'>): Promise<void> {
    await this.inbox.once(event, async (manager) => {
      const dispute = await lockDispute(manager, event.disputeId);
      if (!dispute || dispute.status === 'withdrawn') return;
      const at = event.occurredAt;
      const withdrawal: WithdrawalState = { ...requestOf(dispute, event), status: 'confirmed', settledAt: at };
      await manager.query(
        `UPDATE intake.disputes SET status = 'withdrawn', outcome = 'withdrawn', withdrawal = $2, updated_at = now() WHERE id = $1`,
        [dispute.id, withdrawal],
      );
      await addTimeline(manager, dispute.id, 'withdrawn', {}, new Date(at));
      await this.outbox.append(manager, [
        newEvent('dispute.withdrawn', { disputeId: dispute.id, actor: event.actor, ...causedBy(event), data: { reason: withdrawal.reason ?? undefined } }),
      ]);
    });
  }

  /** The case was decided first: the request is refused and the dispute follows the decision's own events. */
  async onRefused(event: Event<'case.withdrawal_refused'>): Promise<void> {
    await this.inbox.once(event, async (manager) => {
      const dispute = await lockDispute(manager, event.disputeId);
      // An answer to an older request (a newer one is pending, or this one was settled) changes nothing.
      if (!dispute || dispute.withdrawal?.requestId !== event.data.requestId || dispute.withdrawal.status !== 'requested') return;
      await setWithdrawal(manager, dispute.id, { ...dispute.withdrawal, status: 'refused', settledAt: event.occurredAt });
      await addTimeline(manager, dispute.id, 'withdrawal_refused', {}, new Date(event.occurredAt));
    });
  }
}

/** The request a confirmation answers; one recorded before this column existed is rebuilt from the event. */
function requestOf(dispute: DisputeRow, event: Event<'case.withdrawn'>): WithdrawalState {
  return dispute.withdrawal ?? { status: 'requested', requestedAt: event.occurredAt, requestId: event.data.requestId, reason: event.data.reason };
}

async function setWithdrawal(manager: EntityManager, id: string, withdrawal: WithdrawalState): Promise<void> {
  await manager.query('UPDATE intake.disputes SET withdrawal = $2, updated_at = now() WHERE id = $1', [id, withdrawal]);
}
