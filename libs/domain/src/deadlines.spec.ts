import { addDuration } from './deadlines';
import { deadlinesAtFiling } from './regimes';

const DAY = 86_400_000;
const business = (holidays: string[] = []) => ({ kind: 'business' as const, holidays: new Set(holidays) });

describe('deadline arithmetic', () => {
  it('adds calendar durations as they are', () => {
    expect(addDuration(new Date('2026-11-27T10:00:00Z'), 10 * DAY).toISOString()).toBe('2026-12-07T10:00:00.000Z');
    expect(addDuration(new Date('2026-11-27T10:00:00Z'), 3_000).toISOString()).toBe('2026-11-27T10:00:03.000Z');
  });

  it.each([
    ['Friday + 1 business day is Monday', '2026-11-27T10:00:00Z', 1, [], '2026-11-30T10:00:00.000Z'],
    ['Friday + 10 business days skips two weekends', '2026-11-27T10:00:00Z', 10, [], '2026-12-11T10:00:00.000Z'],
    ['a holiday is skipped too', '2026-11-27T10:00:00Z', 1, ['2026-11-30'], '2026-12-01T10:00:00.000Z'],
    ['Saturday + 1 business day is Monday', '2026-11-28T10:00:00Z', 1, [], '2026-11-30T10:00:00.000Z'],
  ])('%s', (_name, start, days, holidays, expected) => {
    expect(addDuration(new Date(start), (days as number) * DAY, business(holidays as string[])).toISOString()).toBe(expected);
  });

  it('keeps the part below a day in business mode (tests use seconds)', () => {
    expect(addDuration(new Date('2026-11-28T10:00:00Z'), 5_000, business()).toISOString()).toBe('2026-11-28T10:00:05.000Z');
  });

  it('sets provisional credit and resolution deadlines at filing', () => {
    expect(deadlinesAtFiling(new Date('2026-11-27T10:00:00Z'), { regime: 'platform', reason: 'other' }, { provisionalCreditMs: 10 * DAY, resolutionMs: 45 * DAY, calendar: business() })).toEqual({
      provisionalCreditBy: '2026-12-11T10:00:00.000Z',
      resolutionBy: '2027-01-29T10:00:00.000Z',
    });
  });
});
