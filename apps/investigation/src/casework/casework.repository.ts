import { Injectable } from '@nestjs/common';
import { affected, Insertable, Queryable, RawBuilder, rows, sql, tables } from '@recourse/platform';
import { CaseAuditEntry, insertAuditEntries } from '../audit/audit.repository';
import { DB, InvestigationNotes } from '../database/investigation.tables';
import { CaseEventRow, ChangedCase } from './case-events.reducer';

const db = tables<DB>();

/** What investigators write on a case besides its state (notes), and the set-based writes of other services' news. */
@Injectable()
export class CaseworkRepository {
  async addNote(on: Queryable, note: Omit<Insertable<InvestigationNotes>, 'created_at'>): Promise<void> {
    await rows(on, db.insertInto('investigation.notes').values(note));
  }

  /** The cases a run of events names, locked in id order: concurrent runs cannot deadlock. */
  lockForEvents(on: Queryable, ids: string[]): Promise<CaseEventRow[]> {
    return rows(on, db.selectFrom('investigation.cases')
      .select(['id', 'status', 'flags', 'pending_decision', 'appealed', 'outcome', 'refunded_amount', 'decision', 'decided_at', 'audit_head_seq', 'audit_head_hash'])
      .where('id', '=', sql<string>`ANY(${ids})`).orderBy('id').forUpdate());
  }

  /**
   * The run's audit entries, its events (`outbox`, when it has any) and its cases' final states in one
   * statement. Each head moves only from the seq read under the lock: answers how many cases moved, and an
   * append that raced this one without the lock leaves its case out.
   */
  applyEvents(on: Queryable, cases: readonly ChangedCase[], audit: readonly CaseAuditEntry[], outbox: RawBuilder<unknown> | null): Promise<number> {
    return affected(on, sql`
      WITH entries AS (${insertAuditEntries(audit)})${outbox ? sql`, events AS (${outbox})` : sql``}
      UPDATE investigation.cases c
         SET status = u.status, flags = ARRAY(SELECT jsonb_array_elements_text(u.flags)), pending_decision = u.pending_decision,
             appealed = u.appealed, outcome = u.outcome, refunded_amount = u.refunded_amount, decision = u.decision, decided_at = u.decided_at,
             audit_head_seq = u.head_seq, audit_head_hash = u.head_hash, updated_at = CASE WHEN u.touched THEN now() ELSE c.updated_at END
        FROM unnest(${cases.map((c) => c.id)}::text[], ${cases.map((c) => c.status)}::text[], ${cases.map((c) => JSON.stringify(c.flags))}::jsonb[],
                    ${cases.map((c) => c.pending_decision && JSON.stringify(c.pending_decision))}::jsonb[], ${cases.map((c) => c.appealed)}::boolean[], ${cases.map((c) => c.outcome)}::text[],
                    ${cases.map((c) => c.refunded_amount)}::bigint[], ${cases.map((c) => c.decision && JSON.stringify(c.decision))}::jsonb[], ${cases.map((c) => c.decided_at)}::timestamptz[],
                    ${cases.map((c) => c.audit_head_seq)}::int[], ${cases.map((c) => c.audit_head_hash)}::text[], ${cases.map((c) => c.head_seq_before)}::int[],
                    ${cases.map((c) => c.touched)}::boolean[])
          AS u (id, status, flags, pending_decision, appealed, outcome, refunded_amount, decision, decided_at, head_seq, head_hash, head_seq_before, touched)
       WHERE c.id = u.id AND c.audit_head_seq = u.head_seq_before`);
  }
}
