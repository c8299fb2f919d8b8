import { newRowId } from './row-id';

const VERSION_7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('newRowId', () => {
  it('is a UUID version 7 (RFC 9562) that carries the millisecond it was made in', () => {
    const at = Date.UTC(2026, 11, 6, 23, 30, 0, 123);
    const id = newRowId(at);
    expect(id).toMatch(VERSION_7);
    expect(parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(at);
  });

  it('sorts ids of later milliseconds after earlier ones, as text (uuid compares the same bytes in the same order)', () => {
    const ids = [0, 1, 255, 256, 65_536, Date.now()].map((at) => newRowId(at + 1_700_000_000_000));
    expect([...ids].sort()).toEqual(ids);
  });

  it('draws 74 fresh random bits for each id, across refills of its pool', () => {
    const at = Date.now();
    const ids = Array.from({ length: 5_000 }, () => newRowId(at));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(VERSION_7);
    // Every hex digit of the random part varies (none is stuck by a masking mistake), the variant's too.
    const randomDigits = (id: string) => id.slice(15, 18) + id.slice(19, 23) + id.slice(24);
    for (let digit = 0; digit < 19; digit++) expect(new Set(ids.map((id) => randomDigits(id)[digit])).size).toBeGreaterThan(digit === 3 ? 3 : 15);
  });
});
