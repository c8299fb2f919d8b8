import { threadFor, ThreadReader } from '@recourse/domain';
import { ThreadRow } from './conversation.repository';

/** A thread entry as a reader gets it, `visibility` included: investigators see who saw what, a merchant which of its messages were private. */
export function toThreadEntry(row: ThreadRow) {
  return { id: row.id, at: row.at.toISOString(), from: row.from, visibility: row.visibility, body: row.body, attachments: row.attachments };
}

/** What this reader may see of the thread, oldest first (CONTRACT §10). */
export function toThreadView(reader: ThreadReader, thread: readonly ThreadRow[]) {
  return threadFor(reader, thread.map(toThreadEntry));
}
