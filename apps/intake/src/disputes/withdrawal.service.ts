import { Injectable } from '@nestjs/common';
import { canWithdraw } from '@recourse/domain';
import { newEvent, Outbox, Principal, ProblemException } from '@recourse/platform';
import { DataSource } from 'typeorm';
import { actableBy, actorOf } from './dispute-access.rules';
import { DisputeErrors } from './disputes.errors';
import { DisputesRepository } from './disputes.repository';
import { DisputesService } from './disputes.service';
import { WithdrawDisputeDto } from './dto/dispute-actions.dto';
import { DisputeView } from './dto/dispute.view';
import { WithdrawalState } from './withdrawal.types';

/**
 * A withdrawal races the decision, and only investigation owns the decision (a triage rule may approve the
 * case the instant it opens). So intake refuses at once what it already knows is decided, and otherwise
 * records a request (`dispute.withdrawal_requested`); investigation serialises it against decisions on the
 * case row and answers `case.withdrawn` or `case.withdrawal_refused`. Only a confirmed withdrawal makes the
 * dispute `withdrawn` and publishes `dispute.withdrawn`, so the dispute, the refund and both sides' news agree.
 * The answers are applied with the rest of the dispute's progress (dispute-progress.reducer.ts).
 */
@Injectable()
export class WithdrawalService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
    private readonly disputes: DisputesService,
    private readonly repository: DisputesRepository,
  ) {}

  /** 200 with `withdrawal.status: requested` while investigation confirms; asking again changes nothing. */
  async request(principal: Principal, id: string, body: WithdrawDisputeDto): Promise<DisputeView> {
    await this.dataSource.transaction(async (manager) => {
      const dispute = actableBy(principal, await this.repository.lock(manager, id));
      if (!canWithdraw(dispute.status)) throw new ProblemException(DisputeErrors.InvalidTransition, `a ${dispute.status} dispute cannot be withdrawn`);
      if (dispute.withdrawal?.status === 'requested') return;
      const event = newEvent('dispute.withdrawal_requested', { disputeId: id, actor: actorOf(principal), data: { reason: body.reason } });
      const withdrawal: WithdrawalState = { status: 'requested', requestedAt: event.occurredAt, requestId: event.id, reason: body.reason ?? null };
      await this.repository.setWithdrawal(manager, id, withdrawal);
      await this.repository.addTimeline(manager, id, 'withdrawal_requested', {}, new Date(event.occurredAt));
      await this.outbox.append(manager, [event]);
    });
    return this.disputes.get(principal, id);
  }
}

