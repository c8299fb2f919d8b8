import { Injectable } from '@nestjs/common';
import { EventBatchOf, Outbox } from '@recourse/platform';
import { ConversationRepository } from '../conversation/conversation.repository';
import { Clock } from '../deadlines/clock.service';
import { CaseEventType, caseIdsOf, planCaseEvents } from './case-events.reducer';
import { CaseworkRepository } from './casework.repository';

/**
 * Other services' news about a case: the customer's messages, withdrawal requests and appeals; the money.
 * A run of these events (claimed in the inbox by the consumer) is applied with two statements: one locked
 * read of its cases in id order (concurrent batches cannot deadlock), and one write of their final states,
 * their audit entries (each chain continued from the case's head) and their outgoing events; then the run's
 * customer messages for the conversation, in one insert.
 * `planCaseEvents` holds the rules, and gives what one event at a time would.
 */
@Injectable()
export class CaseEventsService {
  constructor(
    private readonly casework: CaseworkRepository,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
    private readonly conversation: ConversationRepository,
  ) {}

  async applyAll({ events, manager }: EventBatchOf<CaseEventType>): Promise<void> {
    const ids = caseIdsOf(events);
    if (ids.length === 0) return;
    const rows = await this.casework.lockForEvents(manager, ids);
    const plan = planCaseEvents(rows, events, this.clock.now());
    const { cases, audit } = plan;
    if (cases.length === 0) return;
    const outbox = plan.events.length > 0 ? this.outbox.insert(plan.events) : null;
    // The head moves only from the seq read under the lock: an append that raced this one without the lock fails the run.
    const moved = await this.casework.applyEvents(manager, cases, audit, outbox);
    if (moved !== cases.length) throw new Error(`the audit head of ${cases.length - moved} of the run's cases moved during the run`);
    await this.conversation.addMessages(manager, plan.messages);
    if (outbox) this.outbox.written(manager);
  }
}
