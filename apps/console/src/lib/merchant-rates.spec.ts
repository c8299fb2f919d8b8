import { chartLabel, CHART_ROWS, highestRates, ratePercent } from './merchant-rates';

const row = (merchantId: string, rate: number, status = 'ok') => ({ merchantId, payments: 200, disputes: Math.round(rate * 200), prevented: 1, rate, status });

describe('merchant dispute rates page arithmetic', () => {
  it('shows a rate as a percentage with two decimals in either language', () => {
    expect(ratePercent(0.0125, 'en')).toBe('1.25%');
    expect(ratePercent(0.009, 'zh-CN')).toBe('0.90%');
    expect(ratePercent(2, 'en')).toBe('200.00%');
    expect(ratePercent(0, 'en')).toBe('0.00%');
  });

  it('charts the first rows as loaded and cuts long merchant ids', () => {
    const rows = Array.from({ length: CHART_ROWS + 3 }, (_, index) => row(`m-${index}`, 1 / (index + 1)));
    expect(highestRates(rows).map((chartRow) => chartRow.merchantId)).toEqual(rows.slice(0, CHART_ROWS).map((chartRow) => chartRow.merchantId));
    expect(chartLabel('lotus-tea')).toBe('lotus-tea');
    const long = 'console-merchant-0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
    // Cut in the middle: two ids with the same prefix (as generated ids have) still read apart.
    expect(chartLabel(long)).toBe('console-merchan…6-a5b4c3d2e1f0');
    expect(chartLabel(long)).toHaveLength(30);
  });
});
