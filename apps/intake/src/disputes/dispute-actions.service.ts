import { Injectable } from '@nestjs/common';
import { canAppeal } from '@recourse/domain';
import { isUniqueViolation, newEvent, Outbox, Principal, ProblemException, requestTransaction } from '@recourse/platform';
import { DataSource } from 'typeorm';
import { actableBy, actorOf } from './dispute-access.rules';
import { DisputeErrors } from './disputes.errors';
import { DisputesRepository } from './disputes.repository';
import { DisputesService } from './disputes.service';
import { AppealDisputeDto } from './dto/dispute-actions.dto';
import { DisputeView } from './dto/dispute.view';

/** What the customer (or an agent for them) can do to a rejected dispute: appeal it (withdrawal: WithdrawalService). */
@Injectable()
export class DisputeActionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
    private readonly disputes: DisputesService,
    private readonly repository: DisputesRepository,
  ) {}

  /** Once, only when rejected, within the appeal window; a valid appeal reopens the case at once. */
  async appeal(principal: Principal, id: string, body: AppealDisputeDto): Promise<DisputeView> {
    try {
      return await requestTransaction(this.dataSource, async (manager) => {
        const dispute = actableBy(principal, await this.repository.lock(manager, id));
        if (!canAppeal({ status: dispute.status, appealed: dispute.appealed, appealBy: dispute.deadlines.appealBy }, new Date())) {
          throw new ProblemException(DisputeErrors.InvalidTransition, 'only a rejected dispute can be appealed, once, within the appeal window');
        }
        await this.repository.reopenForAppeal(manager, id);
        await this.repository.addTimeline(manager, id, 'appealed', {});
        await this.outbox.append(manager, [newEvent('dispute.appealed', { disputeId: id, actor: actorOf(principal), data: { reason: body.reason } })]);
        return this.disputes.get(principal, id, undefined, manager);
      });
    } catch (error) {
      // Reopened, it would be a second open dispute on a payment that has another one.
      if (isUniqueViolation(error, 'disputes_one_open_per_payment')) throw new ProblemException(DisputeErrors.AlreadyOpen);
      throw error;
    }
  }
}
