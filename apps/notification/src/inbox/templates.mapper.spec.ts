import { LOCALES } from '@recourse/contracts';
import { renderText, TEMPLATE_KEYS, templateOf } from './templates.mapper';

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

  it('words every customer-visible step in both languages', () => {
    const money = { amount: { amount: 50_000, currency: 'CNY' }, disputedAmount: { amount: 129_950, currency: 'CNY' } };
    expect(renderText('dispute.approved', 'en', { money }).body).toBe('Your dispute about CNY 1,299.50 was approved. A refund of CNY 500.00 is on its way to your wallet.');
    expect(renderText('dispute.approved', 'zh-CN', { money }).body).toBe('您关于 ¥1,299.50 的申诉已通过，¥500.00 的退款正在退回您的钱包。');
    expect(renderText('dispute.info_requested', 'en', { text: { message: 'Which card did you use?' } }).body).toContain('more from you: Which card did you use? Please reply');
    expect(renderText('refund.delayed', 'zh-CN', { money }).body).toBe('很抱歉，您的 ¥500.00 退款暂未完成。我们正在重新处理，到账后将在此通知您。');
    for (const key of TEMPLATE_KEYS) for (const locale of LOCALES) expect(renderText(key, locale, { money, text: { message: 'x', explanation: 'y' } }).body).not.toMatch(/[{}]/);
  });
});
