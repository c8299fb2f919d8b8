import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEntryBody {
  seq: number;
  at: string;
  actor: { type: string; id: string };
  action: string;
  data: unknown;
  prevHash: string;
}

export interface AuditEntry extends AuditEntryBody {
  hash: string;
}

/**
 * JSON with object keys sorted at every depth (by UTF-16 code units), so the same entry always hashes the
 * same; undefined members are left out, undefined array items are null. Every audit entry goes through it,
 * so it builds one string rather than arrays of pairs.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) {
    let out = '[';
    for (let index = 0; index < value.length; index++) out += (index === 0 ? '' : ',') + canonicalJson(value[index]);
    return out + ']';
  }
  const object = value as Record<string, unknown>;
  let out = '{';
  for (const key of Object.keys(object).sort()) {
    const item = object[key];
    if (item === undefined) continue;
    out += (out.length === 1 ? '' : ',') + JSON.stringify(key) + ':' + canonicalJson(item);
  }
  return out + '}';
}

/** CONTRACT §5: hash = sha256(prevHash + canonical JSON of the entry without hash). */
export function hashEntry(body: AuditEntryBody): string {
  return createHash('sha256').update(body.prevHash + canonicalJson(body)).digest('hex');
}

/** The last entry's seq and hash, kept apart from the entries (with the case) as each entry is appended. */
export interface ChainHead {
  seq: number;
  hash: string;
}

/** The entry after `previous` (an entry, or the chain's head), or the first one. */
export function appendEntry(previous: ChainHead | null, fields: Omit<AuditEntryBody, 'seq' | 'prevHash'>): AuditEntry {
  const body: AuditEntryBody = { ...fields, seq: (previous?.seq ?? 0) + 1, prevHash: previous?.hash ?? GENESIS_HASH };
  return { ...body, hash: hashEntry(body) };
}

export type ChainVerdict = { valid: true; entries: number } | { valid: false; brokenAt: number };

/**
 * Recomputes the chain; the first entry missing, or whose link or hash does not hold, is where it broke. With the chain's
 * `head`, entries removed from the end (which leave a shorter chain that still links) are caught too: the
 * chain then breaks at the first entry the head vouches for that is missing, or at the head's own seq when
 * the last entry is not the one it records.
 */
export function verifyChain(entries: AuditEntry[], head?: ChainHead): ChainVerdict {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  for (const entry of entries) {
    // A gap in the seqs is an entry removed: the chain broke at the first one missing.
    if (entry.seq !== expectedSeq) return { valid: false, brokenAt: expectedSeq };
    const { hash, ...body } = entry;
    if (entry.prevHash !== prevHash || hashEntry(body) !== hash) return { valid: false, brokenAt: entry.seq };
    prevHash = hash;
    expectedSeq += 1;
  }
  if (head) {
    const lastSeq = entries.at(-1)?.seq ?? 0;
    if (lastSeq !== head.seq) return { valid: false, brokenAt: Math.min(lastSeq, head.seq) + 1 };
    if (prevHash !== head.hash) return { valid: false, brokenAt: head.seq };
  }
  return { valid: true, entries: entries.length };
}
