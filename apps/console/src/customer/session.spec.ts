import { chooseLocale, wordsFor } from './i18n';
import { readToken } from './session';

const token = (claims: object) => `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.c2ln`;

describe('customer page session and language', () => {
  it('reads the handed-over token, or says why it cannot', () => {
    const now = new Date('2026-11-26T12:00:00Z');
    const exp = now.getTime() / 1000;
    expect(readToken(null, now)).toBe('missing');
    expect(readToken('not-a-token', now)).toBe('invalid');
    expect(readToken(token({ roles: ['customer'] }), now)).toBe('invalid');
    expect(readToken(token({ sub: 'c-1', exp }), now)).toBe('expired');
    const fresh = token({ sub: 'c-1', exp: exp + 60, locale: 'en' });
    expect(readToken(fresh, now)).toEqual({ token: fresh, locale: 'en' });
  });

  it('speaks ?lang= first, then the token’s locale, else Chinese', () => {
    expect(chooseLocale('en', 'zh-CN')).toBe('en');
    expect(chooseLocale(null, 'en')).toBe('en');
    expect(chooseLocale('fr', 'de')).toBe('zh-CN');
    expect(chooseLocale(null, undefined)).toBe('zh-CN');
  });

  it('words messages and API values in both languages, filling their placeholders', () => {
    const zh = wordsFor('zh-CN');
    const en = wordsFor('en');
    expect(zh.t('amountTooHigh', { max: '¥129.50' })).toBe('申诉金额不能超过付款金额 ¥129.50。');
    expect(en.t('removeFile', { name: 'receipt.png' })).toBe('Remove receipt.png');
    expect(en.label('goods_not_received')).toBe('I did not get what I paid for');
    expect(zh.label('unknown_value')).toBe('unknown_value');
    expect(zh.nextStep('under_review', { resolutionBy: '2027年1月18日' })).toContain('2027年1月18日');
  });
});
