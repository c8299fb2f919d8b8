import { can, readSession, Session, worksCases } from './session';

const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const token = (payload: object) => `${part({ alg: 'ES256', typ: 'JWT' })}.${part(payload)}.signature`;
const now = new Date('2026-11-26T12:00:00Z');
const inAnHour = Math.floor(now.getTime() / 1000) + 3600;

describe('readSession', () => {
  it('reads the subject, roles and expiry of a staff token, with or without "Bearer "', () => {
    const raw = token({ sub: '调查员-1', roles: ['investigator', 'agent'], exp: inAnHour });
    for (const pasted of [raw, `Bearer ${raw}`, `  ${raw}\n`]) {
      expect(readSession(pasted, now)).toEqual({ token: raw, sub: '调查员-1', roles: ['investigator', 'agent'], expiresAt: new Date(inAnHour * 1000) });
    }
  });

  it('says why a token cannot sign in', () => {
    expect(readSession('not a token', now)).toBe('malformed');
    expect(readSession(`${part({})}.!!!.x`, now)).toBe('malformed');
    expect(readSession(token({ roles: ['investigator'] }), now)).toBe('malformed');
    expect(readSession(token({ sub: 'x', roles: ['supervisor'], exp: inAnHour - 7200 }), now)).toBe('expired');
    expect(readSession(token({ sub: 'x', roles: ['customer', 'merchant'], exp: inAnHour }), now)).toBe('no_console_role');
    expect(readSession(token({ sub: 'x', roles: 'supervisor', exp: inAnHour }), now)).toBe('no_console_role');
  });

  it('admits a phone agent, who works the desk but not cases', () => {
    const agent = readSession(token({ sub: '客服-王', roles: ['agent'], exp: inAnHour }), now);
    expect(agent).toMatchObject({ sub: '客服-王', roles: ['agent'] });
    expect(worksCases(agent as Session)).toBe(false);
    expect(can(agent as Session, 'agent')).toBe(true);
    const staffAgent = readSession(token({ sub: 'ada', roles: ['agent', 'supervisor'], exp: inAnHour }), now) as Session;
    expect([worksCases(staffAgent), can(staffAgent, 'agent')]).toEqual([true, true]);
  });
});
