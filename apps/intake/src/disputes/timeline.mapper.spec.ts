import { renderTimelineMessage } from './timeline.mapper';

describe('timeline messages', () => {
  it('formats money for the locale', () => {
    expect(renderTimelineMessage('refunded', { amount: 129_950, currency: 'CNY' }, 'zh-CN')).toBe('¥1,299.50 已退回您的钱包。');
    expect(renderTimelineMessage('refunded', { amount: 129_950, currency: 'CNY' }, 'en')).toBe('CNY 1,299.50 was refunded to your wallet.');
  });

  it('carries the investigator’s question to the customer', () => {
    expect(renderTimelineMessage('awaiting_customer', { message: 'Send the receipt' }, 'en')).toBe('We need more information from you: Send the receipt');
  });

  it('has every type in both locales', () => {
    for (const type of ['submitted', 'under_review', 'awaiting_merchant', 'awaiting_customer', 'approved', 'rejected', 'withdrawal_requested', 'withdrawn', 'withdrawal_refused', 'appealed', 'deadline_passed']) {
      expect(renderTimelineMessage(type, {}, 'en')).not.toBe(type);
      expect(renderTimelineMessage(type, {}, 'zh-CN')).not.toBe(type);
    }
  });
});
