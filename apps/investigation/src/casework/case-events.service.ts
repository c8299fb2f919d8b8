import { Injectable } from '@nestjs/common';
import { EventBatchOf, Outbox } from '@recourse/platform';
import { Clock } from '../deadlines/clock';
import { CaseEventRow, CaseEventType, caseIdsOf, planCaseEvents } from './case-events';

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
    const outbox = plan.events.length > 0 ? this.outbox.insert(plan.events, 22) : null;
    // The entries, the events and the cases' new states in one statement. The head moves only from the seq
    // read under the lock: an append that raced this one without the lock fails the run.
    // A statement ending in UPDATE answers [rows, count] through TypeORM.
    const [, moved]: [unknown[], number] = await manager.query(
      `WITH entries AS (
         INSERT INTO investigation.audit_entries (case_id, seq, at, actor, action, data, prev_hash, hash)
         SELECT * FROM unnest($1::text[], $2::int[], $3::timestamptz[], $4::jsonb[], $5::text[], $6::jsonb[], $7::text[], $8::text[])
       )${outbox ? `, events AS (${outbox.sql})` : ''}
       UPDATE investigation.cases c
          SET status = u.status, flags = ARRAY(SELECT jsonb_array_elements_text(u.flags)), pending_decision = u.pending_decision,
              appealed = u.appealed, outcome = u.outcome, refunded_amount = u.refunded_amount, decision = u.decision, decided_at = u.decided_at,
              audit_head_seq = u.head_seq, audit_head_hash = u.head_hash, updated_at = CASE WHEN u.touched THEN now() ELSE c.updated_at END
         FROM unnest($9::text[], $10::text[], $11::jsonb[], $12::jsonb[], $13::boolean[], $14::text[], $15::bigint[], $16::jsonb[], $17::timestamptz[],
                     $18::int[], $19::text[], $20::int[], $21::boolean[])
           AS u (id, status, flags, pending_decision, appealed, outcome, refunded_amount, decision, decided_at, head_seq, head_hash, head_seq_before, touched)
        WHERE c.id = u.id AND c.audit_head_seq = u.head_seq_before`,
      [
        audit.map((e) => e.caseId), audit.map((e) => e.seq), audit.map((e) => e.at), audit.map((e) => JSON.stringify(e.actor)),
        audit.map((e) => e.action), audit.map((e) => JSON.stringify(e.data)), audit.map((e) => e.prevHash), audit.map((e) => e.hash),
        cases.map((c) => c.id), cases.map((c) => c.status), cases.map((c) => JSON.stringify(c.flags)), cases.map((c) => json(c.pending_decision)),
        cases.map((c) => c.appealed), cases.map((c) => c.outcome), cases.map((c) => c.refunded_amount), cases.map((c) => json(c.decision)),
        cases.map((c) => c.decided_at), cases.map((c) => c.audit_head_seq), cases.map((c) => c.audit_head_hash), cases.map((c) => c.head_seq_before),
        cases.map((c) => c.touched), ...(outbox?.values ?? []),
      ],
    );
    if (moved !== cases.length) throw new Error(`the audit head of ${cases.length - moved} of the run's cases moved during the run`);
    if (outbox) this.outbox.written(manager);
  }
}
