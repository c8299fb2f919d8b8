import { Injectable } from '@nestjs/common';
import { EventBatchOf, Outbox } from '@recourse/platform';
import { EntityManager } from 'typeorm';
import { Clock } from '../deadlines/clock';
import { InvestigationConfig } from '../investigation.config';
import { timeToResolution } from '../metrics/case.metric';
import { insertPayments } from '../payments/payments.repository';
import { OpenedCase, planOpening, probesOf } from './case-opening.rules';
import { countForMerchant, pendingCounts } from '../merchant-counters/merchant-counters.service';
import { readTriageHistory } from './triage-signals.rules';

/**
 * Opens a case for every new dispute and triages it at once: the automatic rules of CONTRACT §5 may
 * approve it in full; otherwise it waits in the queue, ordered by its risk score. A run of dispute.submitted
 * events (claimed in the inbox by the consumer) is applied with a fixed handful of statements: the payments
 * copied, one read of the triage history, the cases inserted in their final state, their audit entries and
 * timers, and one outbox insert. `planOpening` holds the rules, and gives what one event at a time would.
 */
@Injectable()
export class CaseOpeningService {
  constructor(
    private readonly outbox: Outbox,
    private readonly config: InvestigationConfig,
    private readonly clock: Clock,
  ) {}

  async openAll({ events: run, manager }: EventBatchOf<'dispute.submitted'>): Promise<void> {
    const events = run.filter((event) => event.disputeId);
    if (events.length === 0) return;
    const payments = events.map((event) => event.data.payment);
    const newPayments = await insertPayments(manager, payments);
    // Per customer, how many of their payments a dispute may have to skip: its own, and those the run copies after it.
    const hidden = new Map<string, number>();
    for (const id of new Set(payments.map((payment) => `${payment.customerId}\u0000${payment.paymentId}`))) {
      const customerId = id.slice(0, id.indexOf('\u0000'));
      hidden.set(customerId, (hidden.get(customerId) ?? 0) + 1);
    }
    const history = await readTriageHistory(manager, probesOf(events), hidden);
    const plan = planOpening({
      events, newPayments, history, pending: pendingCounts, now: this.clock.now(),
      settings: { autoApproveMax: this.config.AUTO_APPROVE_MAX, clocks: this.config.clocks() },
    });
    await insertCases(manager, plan.cases);
    if (plan.audit.length > 0 || plan.timers.length > 0) {
      await manager.query(
        `WITH audit AS (
           INSERT INTO investigation.audit_entries (case_id, seq, at, actor, action, data, prev_hash, hash)
           SELECT * FROM unnest($1::text[], $2::int[], $3::timestamptz[], $4::jsonb[], $5::text[], $6::jsonb[], $7::text[], $8::text[])
         )
         INSERT INTO investigation.timers (case_id, kind, due_at)
         SELECT * FROM unnest($9::text[], $10::text[], $11::timestamptz[]) ON CONFLICT (case_id, kind, due_at) DO NOTHING`,
        [
          plan.audit.map((e) => e.caseId), plan.audit.map((e) => e.seq), plan.audit.map((e) => e.at), plan.audit.map((e) => JSON.stringify(e.actor)),
          plan.audit.map((e) => e.action), plan.audit.map((e) => JSON.stringify(e.data)), plan.audit.map((e) => e.prevHash), plan.audit.map((e) => e.hash),
          plan.timers.map((t) => t.caseId), plan.timers.map((t) => t.kind), plan.timers.map((t) => t.dueAt),
        ],
      );
    }
    await this.outbox.append(manager, plan.events);
    for (const { merchantId, what } of plan.counted) countForMerchant(merchantId, what);
    const now = this.clock.now();
    for (const { outcome, kind, filedAt } of plan.decided) timeToResolution.observe({ outcome, decided_by: kind }, (now.getTime() - filedAt.getTime()) / 1000);
  }
}

/** The run's new cases in their final state, in id order; a case that exists after all fails the run (it replays event by event). */
async function insertCases(manager: EntityManager, cases: OpenedCase[]): Promise<void> {
  if (cases.length === 0) return;
  const column = <T>(pick: (row: OpenedCase) => T) => cases.map(pick);
  const json = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));
  const inserted: unknown[] = await manager.query(
    `INSERT INTO investigation.cases (id, payment_id, customer_id, merchant_id, reason, description, amount, currency, locale, channel, status, flags,
       payment, deadlines, created_at, risk_score, risk_signals, decision, pending_decision, appealed, outcome, decided_at, audit_head_seq, audit_head_hash)
     SELECT id, payment_id, customer_id, merchant_id, reason, description, amount, currency, locale, channel, status, ARRAY(SELECT jsonb_array_elements_text(flags)),
       payment, deadlines, created_at, risk_score, risk_signals, decision, pending_decision, appealed, outcome, decided_at, audit_head_seq, audit_head_hash
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::text[], $9::text[], $10::text[], $11::text[],
       $12::jsonb[], $13::jsonb[], $14::jsonb[], $15::timestamptz[], $16::int[], $17::jsonb[], $18::jsonb[], $19::jsonb[], $20::boolean[], $21::text[],
       $22::timestamptz[], $23::int[], $24::text[])
       AS u (id, payment_id, customer_id, merchant_id, reason, description, amount, currency, locale, channel, status, flags, payment, deadlines, created_at,
         risk_score, risk_signals, decision, pending_decision, appealed, outcome, decided_at, audit_head_seq, audit_head_hash)
     ORDER BY id
     ON CONFLICT (id) DO NOTHING RETURNING id`,
    [
      column((c) => c.id), column((c) => c.payment_id), column((c) => c.customer_id), column((c) => c.merchant_id), column((c) => c.reason),
      column((c) => c.description), column((c) => c.amount), column((c) => c.currency), column((c) => c.locale), column((c) => c.channel),
      column((c) => c.status), column((c) => json(c.flags)), column((c) => json(c.payment)), column((c) => json(c.deadlines)), column((c) => c.created_at),
      column((c) => c.risk_score), column((c) => json(c.risk_signals)), column((c) => c.decision), column((c) => json(c.pending_decision)),
      column((c) => c.appealed), column((c) => c.outcome), column((c) => c.decided_at), column((c) => c.audit_head_seq), column((c) => c.audit_head_hash),
    ],
  );
  if (inserted.length !== cases.length) throw new Error(`${cases.length - inserted.length} of the run's new cases exist already`);
}
