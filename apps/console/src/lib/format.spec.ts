import { countdown, duration, fileSize, majorUnits, money, shortId, toMinorUnits } from './format';

describe('format', () => {
  it('tells apart ids made in the same minute by their random tail', () => {
    // Two UUID version 7 ids made a few seconds apart share their first 8 characters (the time's high bits).
    const first = '019af5c2-1a2b-7c3d-8e4f-5a6b7c8d9e0f';
    const second = '019af5c2-3f00-7d11-9a22-0b1c2d3e4f50';
    expect(shortId(first)).toBe('7c8d9e0f');
    expect(shortId(second)).toBe('2d3e4f50');
    expect(shortId(first)).not.toBe(shortId(second));
  });

  it('shows minor units as money in both languages', () => {
    expect(money(12950, 'CNY', 'en')).toBe('CN¥129.50');
    expect(money(12950, 'CNY', 'zh-CN')).toBe('¥129.50');
    expect(money(500, 'JPY', 'en')).toBe('¥500');
    expect(majorUnits(58000, 'CNY')).toBe('580.00');
  });

  it('reads a typed amount into minor units, refusing what is not one', () => {
    expect(toMinorUnits('450', 'CNY')).toBe(45000);
    expect(toMinorUnits('450.5', 'CNY')).toBe(45050);
    expect(toMinorUnits(' 0,07 ', 'CNY')).toBe(7);
    expect(toMinorUnits('500', 'JPY')).toBe(500);
    for (const bad of ['', '-1', '1.234', '1e3', 'abc', '12.5.0']) expect(toMinorUnits(bad, 'CNY')).toBeNull();
    expect(toMinorUnits('1.5', 'JPY')).toBeNull();
  });

  it('counts down to a deadline and marks one that has passed', () => {
    const now = new Date('2026-11-26T12:00:00Z');
    expect(countdown('2026-11-29T16:30:00Z', now)).toEqual({ text: '3d 4h', past: false });
    expect(countdown('2026-11-26T14:05:00Z', now)).toEqual({ text: '2h 5m', past: false });
    expect(countdown('2026-11-26T12:03:07Z', now)).toEqual({ text: '3m 7s', past: false });
    expect(countdown('2026-11-26T11:00:00Z', now)).toEqual({ text: '-1h 0m', past: true });
  });

  it('shows file sizes in kB and MB', () => {
    expect(fileSize(850_000, 'en')).toBe('850 kB');
    expect(fileSize(12, 'en')).toBe('1 kB');
    expect(fileSize(4_240_000, 'en')).toBe('4.2 MB');
    expect(fileSize(4_240_000, 'zh-CN')).toBe('4.2 MB');
  });

  it('shortens durations for chart labels', () => {
    expect(duration(null)).toBe('–');
    expect(duration(42)).toBe('42s');
    expect(duration(600)).toBe('10m');
    expect(duration(5 * 3600)).toBe('5.0h');
    expect(duration(3 * 86_400)).toBe('3.0d');
  });
});
