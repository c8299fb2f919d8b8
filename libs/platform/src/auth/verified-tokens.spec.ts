import { Principal } from './principal';
import { VerifiedTokens } from './verified-tokens';

const alice: Principal = { sub: 'alice', roles: ['customer'] };

describe('verified tokens', () => {
  let now = 1_000_000;
  const tokens = () => new VerifiedTokens(() => now);

  it('trusts a verified token again until its exp, and not a moment after', () => {
    const cache = tokens();
    cache.remember('t', alice, now + 5_000);
    expect(cache.get('t')).toBe(alice);
    now += 4_999;
    expect(cache.get('t')).toBe(alice);
    now += 1;
    expect(cache.get('t')).toBeNull();
  });

  it('checks a long-lived token again after a minute (a withdrawn key stops being honoured)', () => {
    const cache = tokens();
    cache.remember('t', alice, now + 86_400_000);
    now += 59_999;
    expect(cache.get('t')).toBe(alice);
    now += 1;
    expect(cache.get('t')).toBeNull();
  });

  it('knows nothing of a token it was not given', () => {
    expect(tokens().get('never-seen')).toBeNull();
  });

  it('forgets the oldest token when full', () => {
    const cache = tokens();
    for (let index = 0; index < 10_001; index++) cache.remember(`t${index}`, alice, now + 60_000);
    expect(cache.get('t0')).toBeNull();
    expect(cache.get('t1')).toBe(alice);
    expect(cache.get('t10000')).toBe(alice);
  });
});
