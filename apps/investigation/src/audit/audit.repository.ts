import { Injectable } from '@nestjs/common';
import { AuditEntry } from '@recourse/domain';
import { affected, first, Queryable, RawBuilder, rows, Selectable, sql, tables } from '@recourse/platform';
import { DataSource } from 'typeorm';
import { DB, InvestigationAuditEntries, InvestigationCases } from '../database/investigation.tables';

export type AuditRow = Selectable<InvestigationAuditEntries>;
/** A case's chain head, kept on its row. */
export type HeadRow = Pick<Selectable<InvestigationCases>, 'audit_head_seq' | 'audit_head_hash'>;
/** A case's head with one of its entries (none when the case has no entry left). */
export type ChainRow = HeadRow & { [column in keyof AuditRow]: AuditRow[column] | null };
/** A new entry of a case's chain. */
export type CaseAuditEntry = AuditEntry & { caseId: string };

const db = tables<DB>();

/** investigation.audit_entries and the chain head each case row keeps. */
@Injectable()
export class AuditRepository {
  constructor(private readonly dataSource: DataSource) {}

  head(on: Queryable, caseId: string): Promise<HeadRow | undefined> {
    return first(on, db.selectFrom('investigation.cases').select(['audit_head_seq', 'audit_head_hash']).where('id', '=', caseId));
  }

  /**
   * Appends `entry` and moves its case's head in one statement (no extra round trip); the seq check refuses
   * an append that raced another without the case's row lock. Answers how many heads moved (1, or 0 refused).
   */
  append(on: Queryable, entry: CaseAuditEntry): Promise<number> {
    return affected(on, sql`
      WITH entry AS (
        INSERT INTO investigation.audit_entries (case_id, seq, at, actor, action, data, prev_hash, hash)
        VALUES (${entry.caseId}, ${entry.seq}, ${entry.at}, ${JSON.stringify(entry.actor)}, ${entry.action}, ${JSON.stringify(entry.data)}, ${entry.prevHash}, ${entry.hash})
        RETURNING case_id, seq, hash
      )
      UPDATE investigation.cases c SET audit_head_seq = entry.seq, audit_head_hash = entry.hash
      FROM entry WHERE c.id = entry.case_id AND c.audit_head_seq = entry.seq - 1`);
  }

  /** A case's entries, oldest first. */
  trail(caseId: string): Promise<AuditRow[]> {
    return rows(this.dataSource, db.selectFrom('investigation.audit_entries').selectAll().where('case_id', '=', caseId).orderBy('seq'));
  }

  /** A case's head and entries in one statement, so they are read from one snapshot while appends go on. */
  chain(caseId: string): Promise<ChainRow[]> {
    return rows(this.dataSource, db.selectFrom('investigation.cases as c')
      .leftJoin('investigation.audit_entries as e', 'e.case_id', 'c.id')
      .select(['c.audit_head_seq', 'c.audit_head_hash']).selectAll('e')
      .where('c.id', '=', caseId).orderBy('e.seq'));
  }
}

/** The INSERT of new entries of many cases' chains, set-based: for a batch to end its own statement with. */
export function insertAuditEntries(entries: readonly CaseAuditEntry[]): RawBuilder<unknown> {
  return sql`
    INSERT INTO investigation.audit_entries (case_id, seq, at, actor, action, data, prev_hash, hash)
    SELECT * FROM unnest(${entries.map((e) => e.caseId)}::text[], ${entries.map((e) => e.seq)}::int[], ${entries.map((e) => e.at)}::timestamptz[],
                         ${entries.map((e) => JSON.stringify(e.actor))}::jsonb[], ${entries.map((e) => e.action)}::text[], ${entries.map((e) => JSON.stringify(e.data))}::jsonb[],
                         ${entries.map((e) => e.prevHash)}::text[], ${entries.map((e) => e.hash)}::text[])`;
}
