import { useEffect, useState } from 'react';
import { useLoad } from '../lib/hooks';

interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

/**
 * A list (CONTRACT §1: newest first, by cursor) that grows a page at a time when the customer asks; the first
 * page reloads every `refreshMs` when given (what it brings in at the top may push an item into the next page
 * too: it is shown once). `items` is undefined until the first page arrives.
 */
export interface PagedList<T> {
  items: T[] | undefined;
  error: unknown;
  hasMore: boolean;
  showMore: () => Promise<void>;
  reload: () => Promise<void>;
}

export function usePagedList<T extends { id: string }>(load: (cursor?: string) => Promise<Page<T>>, deps: unknown[], refreshMs?: number): PagedList<T> {
  const first = useLoad(() => load(), deps, refreshMs);
  const [more, setMore] = useState<{ items: T[]; cursor?: string | null; error?: unknown }>({ items: [] });
  // The caller's deps decide when the list starts over, as with useLoad.
  useEffect(() => setMore({ items: [] }), deps);
  const cursor = more.cursor === undefined ? first.data?.nextCursor : more.cursor;
  const showMore = async () => {
    if (!cursor) return;
    try {
      const page = await load(cursor);
      setMore((previous) => ({ items: [...previous.items, ...page.data], cursor: page.nextCursor }));
    } catch (error) {
      setMore((previous) => ({ ...previous, error }));
    }
  };
  return {
    items: first.data ? unique([...first.data.data, ...more.items]) : undefined,
    error: first.error ?? more.error,
    hasMore: Boolean(cursor),
    showMore,
    reload: first.reload,
  };
}

function unique<T extends { id: string }>(items: T[]): T[] {
  const seen = new Set<string>();
  return items.filter((item) => !seen.has(item.id) && Boolean(seen.add(item.id)));
}
