import { addBusinessDays, deadlinesAtFiling, endOfNextBusinessDay, regimeOf } from './regimes';

const DAY = 86_400_000;
const none = new Set<string>();
const platform = { provisionalCreditMs: 10 * DAY, resolutionMs: 45 * DAY };
type Dispute = Parameters<typeof deadlinesAtFiling>[1];
const deadlines = (regime: Dispute['regime'], reason: Dispute['reason'], filedAt: string, holidays: string[] = []) =>
  deadlinesAtFiling(new Date(filedAt), { regime, reason }, { ...platform, holidays: new Set(holidays) });

describe('regimes (CONTRACT §11)', () => {
  it.each([
    ['US', 'reg_e'], ['EU', 'psd2'], ['CN', 'pboc'], [undefined, 'platform'], [null, 'platform'], ['JP', 'platform'], ['', 'platform'],
  ])('jurisdiction %p follows %s', (jurisdiction, regime) => {
    expect(regimeOf(jurisdiction as string | undefined)).toBe(regime);
  });

  it.each([
    ['Wednesday + 10 skips two weekends', '2026-12-02T09:15:00.000Z', 10, [], '2026-12-16T09:15:00.000Z'],
    ['filed on a Saturday: Monday is the first day', '2026-12-05T22:00:00.000Z', 1, [], '2026-12-07T22:00:00.000Z'],
    ['filed on a Sunday + 10', '2026-12-06T08:00:00.000Z', 10, [], '2026-12-18T08:00:00.000Z'],
    ['Christmas and New Year as holidays, across the year end', '2026-12-23T12:00:00.000Z', 6, ['2026-12-25', '2027-01-01'], '2027-01-04T12:00:00.000Z'],
    ['across a month end', '2027-02-25T00:00:00.000Z', 3, [], '2027-03-02T00:00:00.000Z'],
    ['a leap day counts as a business day', '2028-02-28T10:00:00.000Z', 1, [], '2028-02-29T10:00:00.000Z'],
    ['a holiday on a weekend changes nothing', '2026-12-04T10:00:00.000Z', 1, ['2026-12-05'], '2026-12-07T10:00:00.000Z'],
    ['zero days is the instant itself', '2026-12-05T10:00:00.000Z', 0, [], '2026-12-05T10:00:00.000Z'],
  ])('%s', (_name, start, days, holidays, expected) => {
    expect(addBusinessDays(new Date(start), days as number, new Set(holidays as string[])).toISOString()).toBe(expected);
  });

  it.each([
    ['a Monday filing: end of Tuesday', '2026-11-30T23:30:00.000Z', [], '2026-12-01T23:59:59.999Z'],
    ['a Friday filing: end of Monday', '2026-12-04T08:00:00.000Z', [], '2026-12-07T23:59:59.999Z'],
    ['a Saturday filing: end of Monday', '2026-12-05T08:00:00.000Z', [], '2026-12-07T23:59:59.999Z'],
    ['a filing just after midnight still waits for the next day', '2026-12-01T00:00:00.000Z', [], '2026-12-02T23:59:59.999Z'],
    ['Christmas Eve with Christmas a holiday: end of the 28th', '2026-12-24T10:00:00.000Z', ['2026-12-25'], '2026-12-28T23:59:59.999Z'],
    ['New Year\'s Eve on a Thursday, 1 January a holiday', '2026-12-31T18:00:00.000Z', ['2027-01-01'], '2027-01-04T23:59:59.999Z'],
  ])('end of the next business day: %s', (_name, filedAt, holidays, expected) => {
    expect(endOfNextBusinessDay(new Date(filedAt), new Set(holidays as string[])).toISOString()).toBe(expected);
  });

  it('Regulation E: provisional credit in 10 business days, resolution in 45 calendar days', () => {
    expect(deadlines('reg_e', 'other', '2026-12-04T10:00:00.000Z', ['2026-12-25'])).toEqual({
      provisionalCreditBy: '2026-12-18T10:00:00.000Z',
      resolutionBy: '2027-01-18T10:00:00.000Z',
    });
  });

  it('PSD2: an unrecognised charge is credited by the end of the next business day; other reasons have no provisional credit', () => {
    expect(deadlines('psd2', 'unrecognized_charge', '2026-12-04T10:00:00.000Z')).toEqual({
      provisionalCreditBy: '2026-12-07T23:59:59.999Z',
      resolutionBy: '2026-12-25T10:00:00.000Z',
    });
    expect(deadlines('psd2', 'duplicate_charge', '2026-12-04T10:00:00.000Z', ['2026-12-25'])).toEqual({
      resolutionBy: '2026-12-28T10:00:00.000Z',
    });
  });

  it('PBOC: the platform\'s provisional credit, resolution in 15 calendar days', () => {
    expect(deadlines('pboc', 'other', '2026-12-20T10:00:00.000Z')).toEqual({
      provisionalCreditBy: '2026-12-30T10:00:00.000Z',
      resolutionBy: '2027-01-04T10:00:00.000Z',
    });
  });

  it('platform: today\'s SLA settings, seconds included (tests)', () => {
    expect(deadlinesAtFiling(new Date('2026-12-05T10:00:00.000Z'), { regime: 'platform', reason: 'other' }, { provisionalCreditMs: 3_000, resolutionMs: 5_000, holidays: none })).toEqual({
      provisionalCreditBy: '2026-12-05T10:00:03.000Z',
      resolutionBy: '2026-12-05T10:00:05.000Z',
    });
  });
});
