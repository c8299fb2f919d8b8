import { Injectable } from '@nestjs/common';
import { Actor, EventEnvelope } from '@recourse/contracts';
import { addDuration, CaseCommand, liabilityFor, PendingDecision } from '@recourse/domain';
import { causedBy, newEvent } from '@recourse/platform';
import { EntityManager } from 'typeorm';
import { CaseRow } from '../cases/case.view';
import { CaseWriter } from '../cases/case-writer';
import { Clock } from '../deadlines/clock';
import { scheduleTimer } from '../deadlines/timers';
import { InvestigationConfig } from '../investigation.config';
import { timeToResolution } from '../metrics/case.metrics';

export interface Decision {
  outcome: 'approve' | 'reject';
  refundAmount: number;
  reasonCode: string;
  explanation: string;
  /** Who decided: a rule, a person, or the merchant accepting liability. */
  by: { actor: Actor; kind: 'rule' | 'person' | 'merchant' };
  /** The state-machine command (approve, reject, or approve_pending for a confirmed four-eyes hold). */
  command?: CaseCommand;
  cause?: Pick<EventEnvelope, 'id' | 'correlationId'>;
  extraEvents?: EventEnvelope[];
}

/**
 * Every approval and rejection, by a rule, a person or a merchant's acceptance, goes through here: the
 * case's decision, `case.decided` with what refund needs to book it, and for a rejection the appeal window.
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
    const amount = Number(row.amount);
    const refundAmount = decision.outcome === 'approve' ? decision.refundAmount : 0;
    const liability = liabilityFor({ reason: row.reason, flags: row.flags, decidedBy: decision.by.kind });
    const clocks = this.config.clocks();
    const appealBy = decision.outcome === 'reject' ? addDuration(now, clocks.appealWindowMs, clocks.calendar).toISOString() : undefined;
    const record = { outcome: decision.outcome, refundAmount, currency: row.currency.trim(), reasonCode: decision.reasonCode, explanation: decision.explanation, liability, decidedBy: decision.by.actor };
    const event = newEvent('case.decided', {
      disputeId: row.id,
      actor: confirmer ?? decision.by.actor,
      ...(decision.cause ? causedBy(decision.cause) : {}),
      data: {
        ...record, customerId: row.customer_id, merchantId: row.merchant_id, paymentId: row.payment_id,
        paymentAmount: Number(row.payment.amount), disputedAmount: amount, locale: row.locale as 'zh-CN' | 'en', appealBy,
      },
    }, now);
    await this.writer.change(manager, row, decision.command ?? { type: decision.outcome }, {
      actor: confirmer ?? decision.by.actor,
      action: 'case.decided',
      data: { ...record, ...(confirmer ? { confirmedBy: confirmer } : {}), appealBy },
      columns: {
        decision: JSON.stringify(record),
        decided_at: now,
        outcome: decision.outcome === 'reject' ? 'rejected' : null,
        deadlines: JSON.stringify({ ...row.deadlines, ...(appealBy ? { appealBy } : {}) }),
      },
      events: [...(decision.extraEvents ?? []), event],
    });
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
