import { translator } from './i18n';

describe('translator', () => {
  it('fills parameters and labels API values in either language', () => {
    const en = translator('en');
    const zh = translator('zh-CN');
    expect(en.t('queueCount', { count: 3 })).toBe('3 cases');
    expect(zh.t('queueCount', { count: 3 })).toBe('3 个案件');
    expect(zh.t('auditBroken', { seq: 7 })).toBe('哈希链在第 7 条断开');
    expect(en.label('awaiting_merchant')).toBe('Awaiting merchant');
    expect(zh.label('awaiting_merchant')).toBe('等待商户');
    // A value the console does not know yet shows as the API sent it rather than disappearing.
    expect(zh.label('some_new_status')).toBe('some_new_status');
  });

  it('leaves a placeholder without a value visible, so a missing parameter is noticed', () => {
    expect(translator('en').t('signedInAs', { sub: 'ada' })).toBe('Signed in as ada ({roles})');
  });
});
