import { Injectable } from '@nestjs/common';
import { Actor } from '@recourse/contracts';
import { appendEntry, AuditEntry, verifyChain, ChainVerdict } from '@recourse/domain';
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

/**
 * The tamper-evident audit trail of a case. Callers hold the case's row lock, so entries of one case are
 * appended one at a time and each links to the one before it.
 */
@Injectable()
export class AuditService {
  constructor(private readonly dataSource: DataSource) {}

  async append(manager: EntityManager, caseId: string, actor: Actor, action: string, data: unknown, at = new Date()): Promise<AuditEntry> {
    const [last]: AuditRow[] = await manager.query(
      'SELECT * FROM investigation.audit_entries WHERE case_id = $1 ORDER BY seq DESC LIMIT 1',
      [caseId],
    );
    // Dates are stored to the millisecond, so the ISO text hashed here is the one read back later.
    const entry = appendEntry(last ? toEntry(last) : null, { at: at.toISOString(), actor, action, data: data ?? {} });
    await manager.query(
      `INSERT INTO investigation.audit_entries (case_id, seq, at, actor, action, data, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [caseId, entry.seq, entry.at, entry.actor, entry.action, JSON.stringify(entry.data), entry.prevHash, entry.hash],
    );
    return entry;
  }

  async trail(caseId: string): Promise<AuditEntry[]> {
    const rows: AuditRow[] = await this.dataSource.query('SELECT * FROM investigation.audit_entries WHERE case_id = $1 ORDER BY seq', [caseId]);
    return rows.map(toEntry);
  }

  async verify(caseId: string): Promise<ChainVerdict> {
    return verifyChain(await this.trail(caseId));
  }
}
