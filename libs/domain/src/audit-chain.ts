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

/** JSON with object keys sorted at every depth, so the same entry always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
}

/** CONTRACT §5: hash = sha256(prevHash + canonical JSON of the entry without hash). */
export function hashEntry(body: AuditEntryBody): string {
  return createHash('sha256').update(body.prevHash + canonicalJson(body)).digest('hex');
}

export function appendEntry(previous: AuditEntry | null, fields: Omit<AuditEntryBody, 'seq' | 'prevHash'>): AuditEntry {
  const body: AuditEntryBody = { ...fields, seq: (previous?.seq ?? 0) + 1, prevHash: previous?.hash ?? GENESIS_HASH };
  return { ...body, hash: hashEntry(body) };
}

export type ChainVerdict = { valid: true; entries: number } | { valid: false; brokenAt: number };

/** Recomputes the chain; the first entry whose link or hash does not hold is where it broke. */
export function verifyChain(entries: AuditEntry[]): ChainVerdict {
  let prevHash = GENESIS_HASH;
  for (const entry of entries) {
    const { hash, ...body } = entry;
    if (entry.prevHash !== prevHash || hashEntry(body) !== hash) return { valid: false, brokenAt: entry.seq };
    prevHash = hash;
  }
  return { valid: true, entries: entries.length };
}
