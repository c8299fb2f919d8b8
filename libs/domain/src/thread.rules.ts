import { MessageVisibility, ThreadAuthor } from '@recourse/contracts';

/**
 * Who reads a dispute's conversation (CONTRACT §10): the customer (or a phone agent acting for them), the
 * merchant the dispute is against, and investigators (supervisors read as investigators).
 */
export const THREAD_READERS = ['customer', 'merchant', 'investigator'] as const;
export type ThreadReader = (typeof THREAD_READERS)[number];

/** What decides who reads an entry: who wrote it and for whom. A shared note is `platform` for `all`. */
export interface ThreadAccess {
  from: ThreadAuthor;
  visibility: MessageVisibility;
}

/**
 * "A message never reaches a reader it was not for": investigators read everything; each party reads what it
 * wrote, whatever its visibility, and the other side's only when it was written for `all`; investigators'
 * notes reach the parties only when shared (`all`).
 */
export function canRead(reader: ThreadReader, entry: ThreadAccess): boolean {
  if (reader === 'investigator') return true;
  if (entry.from === reader) return true;
  return entry.visibility === 'all';
}

/** The entries a reader sees, oldest first (ties by id, so every reader sees one order). */
export function threadFor<T extends ThreadAccess & { id: string; at: string }>(reader: ThreadReader, entries: readonly T[]): T[] {
  return entries.filter((entry) => canRead(reader, entry))
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
