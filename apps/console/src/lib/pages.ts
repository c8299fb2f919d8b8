// "Show more" over a cursor-paged API (CONTRACT §1 lists), kept pure: the pages shown are read again from the
// first on every refresh, so a list that changed meanwhile never mixes two versions of itself.

/** One page as the API answers it. */
export interface CursorPage<T> {
  data: T[];
  nextCursor?: string | null;
}

/**
 * Reads the first `pages` pages through `read` (given the previous page's cursor), stopping early at the last;
 * `more` says whether another page follows what was read.
 */
export async function readPages<T>(read: (cursor: string | undefined) => Promise<CursorPage<T>>, pages: number): Promise<{ data: T[]; more: boolean }> {
  const data: T[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < pages; page++) {
    const next = await read(cursor);
    data.push(...next.data);
    cursor = next.nextCursor ?? undefined;
    if (!cursor) break;
  }
  return { data, more: Boolean(cursor) };
}
