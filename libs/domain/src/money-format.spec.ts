import { formatMoney } from './money-format';

describe('formatMoney', () => {
  it.each([
    [129_950, 'CNY', 'zh-CN', '¥1,299.50'],
    [129_950, 'CNY', 'en', 'CNY 1,299.50'],
    [5, 'CNY', 'zh-CN', '¥0.05'],
    [1_000, 'JPY', 'en', 'JPY 1,000'],
    [12_345, 'USD', 'en', 'USD 123.45'],
  ])('%d %s in %s is %s', (amount, currency, locale, text) => expect(formatMoney(amount, currency, locale)).toBe(text));
});
