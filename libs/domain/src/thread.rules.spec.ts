import fc from 'fast-check';
import { MESSAGE_VISIBILITIES, THREAD_AUTHORS } from '@recourse/contracts';
import { canRead, THREAD_READERS, ThreadAccess, threadFor, ThreadReader } from './thread.rules';

describe('who reads which entry of a conversation', () => {
  // Every reader against every author and visibility: the whole rule, written out.
  it.each([
    ['customer', 'customer', 'platform', true],
    ['customer', 'customer', 'all', true],
    ['customer', 'merchant', 'platform', false],
    ['customer', 'merchant', 'all', true],
    ['customer', 'platform', 'platform', false],
    ['customer', 'platform', 'all', true],
    ['merchant', 'customer', 'platform', false],
    ['merchant', 'customer', 'all', true],
    ['merchant', 'merchant', 'platform', true],
    ['merchant', 'merchant', 'all', true],
    ['merchant', 'platform', 'platform', false],
    ['merchant', 'platform', 'all', true],
    ['investigator', 'customer', 'platform', true],
    ['investigator', 'customer', 'all', true],
    ['investigator', 'merchant', 'platform', true],
    ['investigator', 'merchant', 'all', true],
    ['investigator', 'platform', 'platform', true],
    ['investigator', 'platform', 'all', true],
  ] as const)('%s reading a message from %s for %s: %s', (reader, from, visibility, sees) => {
    expect(canRead(reader, { from, visibility })).toBe(sees);
  });

  const entry = fc.record({
    id: fc.uuid(),
    at: fc.date({ min: new Date('2026-01-01'), max: new Date('2027-01-01'), noInvalidDate: true }).map((date) => date.toISOString()),
    from: fc.constantFrom(...THREAD_AUTHORS),
    visibility: fc.constantFrom(...MESSAGE_VISIBILITIES),
  });
  const reader = fc.constantFrom(...THREAD_READERS);
  type Entry = ThreadAccess & { id: string; at: string };
  const isOtherPartysPrivate = (who: ThreadReader, { from, visibility }: Entry) => visibility === 'platform' && from !== who;

  it('never shows a party what another wrote for investigators, and hides nothing written for all', () => {
    fc.assert(fc.property(reader, fc.array(entry, { maxLength: 30 }), (who, entries) => {
      const seen = threadFor(who, entries);
      if (who !== 'investigator') expect(seen.filter((seenEntry) => isOtherPartysPrivate(who, seenEntry))).toEqual([]);
      expect(entries.filter((one) => one.visibility === 'all' || one.from === who || who === 'investigator').length).toBe(seen.length);
    }));
  });

  it('gives every reader the same order, oldest first, and a subsequence of what investigators see', () => {
    fc.assert(fc.property(reader, fc.array(entry, { maxLength: 30 }), (who, entries) => {
      const all = threadFor('investigator', entries);
      const seen = threadFor(who, [...entries].reverse());
      expect(all.filter((one) => seen.includes(one))).toEqual(seen);
      for (let i = 1; i < seen.length; i++) expect(seen[i - 1].at <= seen[i].at).toBe(true);
    }));
  });
});
