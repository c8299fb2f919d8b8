import { Injectable } from '@nestjs/common';
import { affected, EventBatchOf, Outbox, sql } from '@recourse/platform';
import { Clock } from '../deadlines/clock';
import { CaseEventRow, CaseEventType, caseIdsOf, planCaseEvents } from './case-events.reducer';

/**
 * Other services' news about a case: the customer's messages, withdrawal requests and appeals; the money.
 * A run of these events (claimed in the inbox by the consumer) is applied with two statements: one locked
 * read of its cases in id order (concurrent batches cannot deadlock), and one write of their final states,
 * their audit entries (each chain continued from the case's head) and their outgoing events.
 * `planCaseEvents` holds the rules, and gives what one event at a time would.
 */
@Injectable()
export class CaseEventsService {
  constructor(
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  async applyAll({ events, manager }: EventBatchOf<CaseEventType>): Promise<void> {
    const ids = caseIdsOf(events);
    if (ids.length === 0) return;
    const rows: CaseEventRow[] = await manager.query(
      `SELECT id, status, flags, pending_decision, appealed, outcome, refunded_amount, decision, decided_at, audit_head_seq, audit_head_hash
         FROM investigation.cases WHERE id = ANY($1) ORDER BY id FOR UPDATE`,
      [ids],
    );
    const plan = planCaseEvents(rows, events, this.clock.now());
    const { cases, audit } = plan;
    if (cases.length === 0) return;
    const json = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));
    const outbox = plan.events.length > 0 ? this.outbox.insert(plan.events) : null;
    // The entries, the events and the cases' new states in one statement. The head moves only from the seq
    // read under the lock: an append that raced this one without the lock fails the run.
    const moved = await affected(manager, sql`
      WITH entries AS (
        INSERT INTO investigation.audit_entries (case_id, seq, at, actor, action, data, prev_hash, hash)
        SELECT * FROM unnest(${audit.map((e) => e.caseId)}::text[], ${audit.map((e) => e.seq)}::int[], ${audit.map((e) => e.at)}::timestamptz[],
                             ${audit.map((e) => JSON.stringify(e.actor))}::jsonb[], ${audit.map((e) => e.action)}::text[], ${audit.map((e) => JSON.stringify(e.data))}::jsonb[],
                             ${audit.map((e) => e.prevHash)}::text[], ${audit.map((e) => e.hash)}::text[])
      )${outbox ? sql`, events AS (${outbox})` : sql``}
      UPDATE investigation.cases c
         SET status = u.status, flags = ARRAY(SELECT jsonb_array_elements_text(u.flags)), pending_decision = u.pending_decision,
             appealed = u.appealed, outcome = u.outcome, refunded_amount = u.refunded_amount, decision = u.decision, decided_at = u.decided_at,
             audit_head_seq = u.head_seq, audit_head_hash = u.head_hash, updated_at = CASE WHEN u.touched THEN now() ELSE c.updated_at END
        FROM unnest(${cases.map((c) => c.id)}::text[], ${cases.map((c) => c.status)}::text[], ${cases.map((c) => JSON.stringify(c.flags))}::jsonb[],
                    ${cases.map((c) => json(c.pending_decision))}::jsonb[], ${cases.map((c) => c.appealed)}::boolean[], ${cases.map((c) => c.outcome)}::text[],
                    ${cases.map((c) => c.refunded_amount)}::bigint[], ${cases.map((c) => json(c.decision))}::jsonb[], ${cases.map((c) => c.decided_at)}::timestamptz[],
                    ${cases.map((c) => c.audit_head_seq)}::int[], ${cases.map((c) => c.audit_head_hash)}::text[], ${cases.map((c) => c.head_seq_before)}::int[],
                    ${cases.map((c) => c.touched)}::boolean[])
          AS u (id, status, flags, pending_decision, appealed, outcome, refunded_amount, decision, decided_at, head_seq, head_hash, head_seq_before, touched)
       WHERE c.id = u.id AND c.audit_head_seq = u.head_seq_before`);
    if (moved !== cases.length) throw new Error(`the audit head of ${cases.length - moved} of the run's cases moved during the run`);
    if (outbox) this.outbox.written(manager);
  }
}
