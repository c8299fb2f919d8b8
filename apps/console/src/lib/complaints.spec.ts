import { byRegime, defaultPeriod, periodQuery } from './complaints';

describe('complaint statistics page arithmetic', () => {
  it('defaults to the 30 days up to today', () => {
    expect(defaultPeriod(new Date(2026, 2, 15, 17, 30))).toEqual({ from: '2026-02-13', to: '2026-03-15' });
  });

  it('counts the last picked day whole, from local midnight to the next one', () => {
    const query = periodQuery({ from: '2026-03-01', to: '2026-03-31' });
    expect(query).toEqual({ from: new Date(2026, 2, 1).toISOString(), to: new Date(2026, 3, 1).toISOString() });
    expect(periodQuery({ from: '2026-03-01', to: '2026-03-01' })?.to).toBe(new Date(2026, 2, 2).toISOString());
  });

  it('refuses a period out of order or half typed', () => {
    expect(periodQuery({ from: '2026-03-02', to: '2026-03-01' })).toBeNull();
    expect(periodQuery({ from: '', to: '2026-03-01' })).toBeNull();
  });

  it('sums the rows per regime without adding currencies together', () => {
    const row = (regime: string, received: number, refundedByCurrency: Record<string, number>) => ({ regime, received, resolved: received - 1, resolvedWithinDeadline: 1, refundedByCurrency });
    expect(byRegime([row('reg_e', 3, { USD: 500 }), row('pboc', 2, { CNY: 100 }), row('reg_e', 4, { USD: 200, EUR: 7 })])).toEqual([
      { regime: 'reg_e', received: 7, resolved: 5, resolvedWithinDeadline: 2, refundedByCurrency: { USD: 700, EUR: 7 } },
      { regime: 'pboc', received: 2, resolved: 1, resolvedWithinDeadline: 1, refundedByCurrency: { CNY: 100 } },
    ]);
  });
});
