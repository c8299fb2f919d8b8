import { attachmentFileName } from './downloads';

describe('the name a downloaded report is saved under', () => {
  it('is the one the service gives, quoted or bare, else the fallback', () => {
    expect(attachmentFileName('attachment; filename="complaints-2026-02-28-2026-03-31.csv"', 'x.csv')).toBe('complaints-2026-02-28-2026-03-31.csv');
    expect(attachmentFileName('attachment; filename="merchant-dispute-rates-P30D-2026-03-05.csv"', 'x.csv')).toBe('merchant-dispute-rates-P30D-2026-03-05.csv');
    expect(attachmentFileName('attachment; filename=report.csv', 'x.csv')).toBe('report.csv');
    expect(attachmentFileName('attachment', 'x.csv')).toBe('x.csv');
    expect(attachmentFileName(null, 'merchant-dispute-rates-P7D.csv')).toBe('merchant-dispute-rates-P7D.csv');
  });
});
