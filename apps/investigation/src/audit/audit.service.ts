import { Injectable } from '@nestjs/common';
import { Actor } from '@recourse/contracts';
import { appendEntry, AuditEntry, ChainHead, ChainVerdict, verifyChain } from '@recourse/domain';
import { DataSource, EntityManager } from 'typeorm';

interface AuditRow {
  seq: number;
  at: Date;
  actor: Actor;
  action: string;
  data: unknown;
  prev_hash: string;
  hash: string;
}

function toEntry(row: AuditRow): AuditEntry {
  return { seq: row.seq, at: row.at.toISOString(), actor: row.actor, action: row.action, data: row.data, prevHash: row.prev_hash, hash: row.hash };
}

interface HeadRow {
  audit_head_seq: number;
  audit_head_hash: string;
}

const toHead = (row: HeadRow): ChainHead => ({ seq: row.audit_head_seq, hash: row.audit_head_hash });

/**
 * The tamper-evident audit trail of a case. Callers hold the case's row lock, so entries of one case are
 * appended one at a time and each links to the one before it. The table refuses UPDATE, DELETE and TRUNCATE
 * (migration 1796000000000), and the case row keeps the chain's head, so `verify` also catches entries removed
 * from the end by someone able to switch the trigger off.
 */
@Injectable()
export class AuditService {
  constructor(private readonly dataSource: DataSource) {}

  async append(manager: EntityManager, caseId: string, actor: Actor, action: string, data: unknown, at = new Date()): Promise<AuditEntry> {
    // The chain continues from the head, not from the last entry found: a cut-off chain stays visibly cut.
    const [head]: HeadRow[] = await manager.query('SELECT audit_head_seq, audit_head_hash FROM investigation.cases WHERE id = $1', [caseId]);
    if (!head) throw new Error(`audit entry for case ${caseId}, which does not exist`);
    // Dates are stored to the millisecond, so the ISO text hashed here is the one read back later.
    const entry = appendEntry(head.audit_head_seq > 0 ? toHead(head) : null, { at: at.toISOString(), actor, action, data: data ?? {} });
    // The entry and the head move in one statement (no extra round trip); the seq check refuses an append
    // that raced another without the case's row lock.
    // A statement ending in UPDATE answers [rows, count] through TypeORM.
    const [, moved]: [unknown[], number] = await manager.query(
      `WITH entry AS (
         INSERT INTO investigation.audit_entries (case_id, seq, at, actor, action, data, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         RETURNING case_id, seq, hash
       )
       UPDATE investigation.cases c SET audit_head_seq = entry.seq, audit_head_hash = entry.hash
       FROM entry WHERE c.id = entry.case_id AND c.audit_head_seq = entry.seq - 1`,
      [caseId, entry.seq, entry.at, entry.actor, entry.action, JSON.stringify(entry.data), entry.prevHash, entry.hash],
    );
    if (moved !== 1) throw new Error(`audit head of case ${caseId} moved during an append`);
    return entry;
  }

  async trail(caseId: string): Promise<AuditEntry[]> {
    const rows: AuditRow[] = await this.dataSource.query('SELECT * FROM investigation.audit_entries WHERE case_id = $1 ORDER BY seq', [caseId]);
    return rows.map(toEntry);
  }

  /** `{ valid: false, brokenAt }` names the first entry altered or missing (CONTRACT §5; README, Audit trail). */
  async verify(caseId: string): Promise<ChainVerdict> {
    // One statement, so the head and the entries are read from one snapshot while appends go on.
    const rows: (HeadRow & Partial<AuditRow>)[] = await this.dataSource.query(
      `SELECT c.audit_head_seq, c.audit_head_hash, e.* FROM investigation.cases c
       LEFT JOIN investigation.audit_entries e ON e.case_id = c.id WHERE c.id = $1 ORDER BY e.seq`,
      [caseId],
    );
    if (rows.length === 0) return verifyChain([]);
    const entries = rows.filter((row) => row.seq !== null && row.seq !== undefined).map((row) => toEntry(row as AuditRow));
    return verifyChain(entries, toHead(rows[0]));
  }
}
