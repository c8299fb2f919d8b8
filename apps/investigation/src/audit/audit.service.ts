import { Injectable } from '@nestjs/common';
import { Actor } from '@recourse/contracts';
import { appendEntry, AuditEntry, ChainHead, ChainVerdict, verifyChain } from '@recourse/domain';
import { EntityManager } from 'typeorm';
import { AuditRepository, AuditRow, HeadRow } from './audit.repository';

function toEntry(row: AuditRow): AuditEntry {
  return { seq: row.seq, at: row.at.toISOString(), actor: row.actor, action: row.action, data: row.data, prevHash: row.prev_hash, hash: row.hash };
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
  constructor(private readonly entries: AuditRepository) {}

  async append(manager: EntityManager, caseId: string, actor: Actor, action: string, data: unknown, at = new Date()): Promise<AuditEntry> {
    // The chain continues from the head, not from the last entry found: a cut-off chain stays visibly cut.
    const head = await this.entries.head(manager, caseId);
    if (!head) throw new Error(`audit entry for case ${caseId}, which does not exist`);
    // Dates are stored to the millisecond, so the ISO text hashed here is the one read back later.
    const entry = appendEntry(head.audit_head_seq > 0 ? toHead(head) : null, { at: at.toISOString(), actor, action, data: data ?? {} });
    if ((await this.entries.append(manager, { ...entry, caseId })) !== 1) throw new Error(`audit head of case ${caseId} moved during an append`);
    return entry;
  }

  async trail(caseId: string): Promise<AuditEntry[]> {
    return (await this.entries.trail(caseId)).map(toEntry);
  }

  /** `{ valid: false, brokenAt }` names the first entry altered or missing (CONTRACT §5; README, Audit trail). */
  async verify(caseId: string): Promise<ChainVerdict> {
    const rows = await this.entries.chain(caseId);
    if (rows.length === 0) return verifyChain([]);
    const entries = rows.filter((row): row is HeadRow & AuditRow => row.seq !== null).map(toEntry);
    return verifyChain(entries, toHead(rows[0]));
  }
}
