import { CursorPage, readPages } from './pages';

/** A list of `size` items served `limit` at a time, recording the cursors it was asked for. */
function api(size: number, limit: number) {
  const asked: (string | undefined)[] = [];
  const read = async (cursor: string | undefined): Promise<CursorPage<number>> => {
    asked.push(cursor);
    const from = cursor ? Number(cursor) : 0;
    const data = Array.from({ length: Math.max(0, Math.min(limit, size - from)) }, (_, n) => from + n);
    return { data, nextCursor: from + limit < size ? String(from + limit) : null };
  };
  return { read, asked };
}

describe('reading the pages shown', () => {
  it('reads only the pages shown, each from the previous one’s cursor, and says whether more follow', async () => {
    const five = api(120, 50);
    await expect(readPages(five.read, 1)).resolves.toEqual({ data: Array.from({ length: 50 }, (_, n) => n), more: true });
    expect(five.asked).toEqual([undefined]);
    const two = api(120, 50);
    const read = await readPages(two.read, 2);
    expect(read.data).toHaveLength(100);
    expect(read.more).toBe(true);
    expect(two.asked).toEqual([undefined, '50']);
  });

  it('stops at the last page, however many are asked for', async () => {
    const all = api(120, 50);
    await expect(readPages(all.read, 5)).resolves.toEqual({ data: Array.from({ length: 120 }, (_, n) => n), more: false });
    expect(all.asked).toEqual([undefined, '50', '100']);
    const exact = api(100, 50);
    await expect(readPages(exact.read, 2).then((r) => r.more)).resolves.toBe(false);
    await expect(readPages(api(0, 50).read, 3)).resolves.toEqual({ data: [], more: false });
  });
});
