import { Injectable } from '@nestjs/common';
import { Actor } from '@recourse/contracts';
import { PendingDecision } from '@recourse/domain';
import { newEvent } from '@recourse/platform';
import { EntityManager } from 'typeorm';
import { CaseRow } from '../cases/cases.repository';
import { CaseWriter } from '../cases/case-writer.service';
import { Clock } from '../deadlines/clock.service';
import { scheduleTimer } from '../deadlines/timers.repository';
import { InvestigationConfig } from '../investigation.config';
import { timeToResolution } from '../cases/case.metric';
import { Decision, decisionEffects } from './decision.rules';

export type { Decision } from './decision.rules';

/**
 * Every approval and rejection, by a rule, a person or a merchant's acceptance, goes through here: the
 * case's decision, `case.decided` with what refund needs to book it, and for a rejection the appeal window.
 * (Triage's automatic approvals apply the same `decisionEffects` set-based, in the opening batch.)
 */
@Injectable()
export class DecisionsService {
  constructor(
    private readonly writer: CaseWriter,
    private readonly config: InvestigationConfig,
    private readonly clock: Clock,
  ) {}

  async decide(manager: EntityManager, row: CaseRow, decision: Decision, confirmer?: Actor): Promise<void> {
    const now = this.clock.now();
    const { command, change, appealBy } = decisionEffects(row, decision, now, this.config.clocks(), confirmer);
    await this.writer.change(manager, row, command, change);
    if (appealBy) await scheduleTimer(manager, row.id, 'appeal_window', appealBy);
    timeToResolution.observe({ outcome: decision.outcome, decided_by: decision.by.kind }, (now.getTime() - row.created_at.getTime()) / 1000);
  }

  /** A person's approval above FOUR_EYES_THRESHOLD waits for a supervisor (CONTRACT §5). */
  needsFourEyes(decision: Pick<Decision, 'outcome' | 'refundAmount' | 'by'>): boolean {
    return decision.by.kind === 'person' && decision.outcome === 'approve' && decision.refundAmount > this.config.FOUR_EYES_THRESHOLD;
  }

  async hold(manager: EntityManager, row: CaseRow, pending: PendingDecision, actor: Actor): Promise<void> {
    await this.writer.change(manager, row, { type: 'hold_for_four_eyes', decision: pending }, {
      actor,
      action: 'case.decision_pending',
      data: pending,
      events: [newEvent('case.decision_pending', { disputeId: row.id, actor, data: { ...pending } }, this.clock.now())],
    });
  }
}
