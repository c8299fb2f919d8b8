import { rateChanges, rateOf, statusOf, windowStart } from './merchant-rate.rules';

const thresholds = { watch: 0.009, excessive: 0.015, minDisputes: 100 };

describe('merchant dispute rate rules', () => {
  it.each([
    { payments: 10_000, disputes: 89, expected: 'ok' },
    { payments: 10_000, disputes: 99, expected: 'ok' }, // 0.99 %: above watch, but under the minimum disputes
    { payments: 10_000, disputes: 100, expected: 'watch' }, // 1 %
    { payments: 20_000, disputes: 180, expected: 'watch' }, // exactly 0.9 %
    { payments: 20_000, disputes: 179, expected: 'ok' },
    { payments: 10_000, disputes: 150, expected: 'excessive' }, // exactly 1.5 %
    { payments: 10_000, disputes: 149, expected: 'watch' },
    { payments: 0, disputes: 100, expected: 'excessive' }, // disputes whose payments are older than the window
    { payments: 0, disputes: 0, expected: 'ok' },
  ] as const)('$disputes disputes over $payments payments: $expected', ({ payments, disputes, expected }) => {
    expect(statusOf({ payments, disputes, prevented: 0 }, thresholds)).toBe(expected);
  });

  it('leaves prevented disputes out of the rate', () => {
    expect(statusOf({ payments: 10_000, disputes: 10, prevented: 500 }, thresholds)).toBe('ok');
    expect(rateOf({ payments: 200, disputes: 3 })).toBe(0.015);
  });

  it.each([
    { previous: null, disputes: 1, change: null },
    { previous: 'ok', disputes: 2, change: ['ok', 'watch'] },
    { previous: 'watch', disputes: 3, change: null },
    { previous: 'watch', disputes: 5, change: ['watch', 'excessive'] },
    { previous: 'excessive', disputes: 6, change: null },
    { previous: 'excessive', disputes: 2, change: ['excessive', 'watch'] },
    { previous: 'watch', disputes: 1, change: ['watch', 'ok'] }, // under the minimum again
    { previous: null, disputes: 5, change: ['ok', 'excessive'] }, // never evaluated: it was ok
  ] as const)('from $previous with $disputes of 10: $change', ({ previous, disputes, change }) => {
    const changes = rateChanges([{ merchantId: 'm-1', counts: { payments: 10, disputes, prevented: 1 }, previous }], { watch: 0.2, excessive: 0.5, minDisputes: 2 });
    expect(changes.map((c) => [c.previousStatus, c.status])).toEqual(change ? [change] : []);
    if (change) expect(changes[0]).toEqual({ merchantId: 'm-1', status: change[1], previousStatus: change[0], rate: disputes / 10, payments: 10, disputes, prevented: 1 });
  });

  it('rounds a window up to whole UTC hours', () => {
    const now = new Date('2026-11-24T08:30:00.000Z');
    expect(windowStart(now, 3_600_000).toISOString()).toBe('2026-11-24T07:00:00.000Z');
    expect(windowStart(now, 30 * 86_400_000).toISOString()).toBe('2026-10-25T08:00:00.000Z');
    expect(windowStart(new Date('2026-11-24T08:00:00.000Z'), 3_600_000).toISOString()).toBe('2026-11-24T07:00:00.000Z');
  });
});
