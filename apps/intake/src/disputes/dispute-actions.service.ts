import { Injectable } from '@nestjs/common';
import { canAppeal } from '@recourse/domain';
import { isUniqueViolation, newEvent, Outbox, Principal, ProblemException, requestTransaction } from '@recourse/platform';
import { DataSource } from 'typeorm';
import { actorOf, lockDisputeFor } from './dispute-access';
import { DisputeErrors } from './disputes.errors';
import { addTimeline } from './disputes.repository';
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
  ) {}

  /** Once, only when rejected, within the appeal window; a valid appeal reopens the case at once. */
  async appeal(principal: Principal, id: string, body: AppealDisputeDto): Promise<DisputeView> {
    try {
      return await requestTransaction(this.dataSource, async (manager) => {
        const dispute = await lockDisputeFor(manager, principal, id);
        if (!canAppeal({ status: dispute.status, appealed: dispute.appealed, appealBy: dispute.deadlines.appealBy }, new Date())) {
          throw new ProblemException(DisputeErrors.InvalidTransition, 'only a rejected dispute can be appealed, once, within the appeal window');
        }
        await manager.query(
          `UPDATE intake.disputes SET status = 'under_review', outcome = NULL, appealed = true, updated_at = now() WHERE id = $1`,
          [id],
        );
        await addTimeline(manager, id, 'appealed', {});
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
