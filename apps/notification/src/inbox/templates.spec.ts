import { LOCALES } from '@recourse/contracts';
import { renderText, TEMPLATE_KEYS, templateOf } from './templates';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();

describe('customer notification texts', () => {
  it.each(TEMPLATE_KEYS)('%s has the same placeholders in every locale', (key) => {
    const [first, ...others] = LOCALES.map((locale) => templateOf(key, locale));
    for (const other of others) {
      expect(placeholders(other.title)).toEqual(placeholders(first.title));
      expect(placeholders(other.body)).toEqual(placeholders(first.body));
    }
  });

  it('formats money for the locale', () => {
    const money = { amount: { amount: 129_950, currency: 'CNY' } };
    expect(renderText('refund.succeeded', 'zh-CN', { money }).body).toBe('¥1,299.50 已退回您的钱包。');
    expect(renderText('refund.succeeded', 'en', { money }).body).toBe('CNY 1,299.50 was refunded to your wallet.');
  });

  it('reads well without an optional explanation', () => {
    const text = renderText('dispute.rejected', 'en', { money: { amount: { amount: 500, currency: 'CNY' } } });
    expect(text.body).toBe('Your dispute about CNY 5.00 was not approved. You may appeal within the appeal window.');
  });
});
