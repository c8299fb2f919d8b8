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

  it('chooses the plural form of `count` by the language\'s rules (Intl.PluralRules)', () => {
    const en = translator('en');
    expect(en.t('queueCount', { count: 1 })).toBe('1 case');
    expect(en.t('queueCount', { count: 0 })).toBe('0 cases');
    expect(en.t('auditValid', { count: 1 })).toBe('Chain verified: 1 entry intact');
    expect(en.t('auditValid', { count: 12 })).toBe('Chain verified: 12 entries intact');
    // Chinese has one form for every number.
    expect(translator('zh-CN').t('queueCount', { count: 1 })).toBe('1 个案件');
    // Without a count, the `other` form.
    expect(en.t('reportBreaches')).toBe('{count} breaches');
  });

  it('leaves a placeholder without a value visible, so a missing parameter is noticed', () => {
    expect(translator('en').t('signedInAs', { sub: 'ada' })).toBe('Signed in as ada ({roles})');
  });
});
