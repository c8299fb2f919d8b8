import fc from 'fast-check';
import { appendEntry, AuditEntry, canonicalJson, GENESIS_HASH, verifyChain } from './audit-chain';

function chain(actions: string[]): AuditEntry[] {
  const entries: AuditEntry[] = [];
  for (const action of actions) {
    entries.push(appendEntry(entries.at(-1) ?? null, { at: '2026-11-24T08:30:00.000Z', actor: { type: 'system', id: 'triage' }, action, data: { action } }));
  }
  return entries;
}

describe('audit hash chain', () => {
  it('starts from 64 zeros and verifies', () => {
    const entries = chain(['case.opened', 'case.triaged', 'case.decided']);
    expect(entries[0].prevHash).toBe(GENESIS_HASH);
    expect(entries.map((entry) => entry.seq)).toEqual([1, 2, 3]);
    expect(verifyChain(entries)).toEqual({ valid: true, entries: 3 });
  });

  it('finds any edit to any entry', () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { minLength: 1, maxLength: 20 }), fc.nat(), fc.string(), (actions, pick, forged) => {
        const entries = chain(actions);
        const index = pick % entries.length;
        fc.pre(entries[index].action !== forged);
        entries[index] = { ...entries[index], action: forged };
        expect(verifyChain(entries)).toEqual({ valid: false, brokenAt: index + 1 });
      }),
    );
  });

  it('canonical JSON ignores key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).toBe(canonicalJson({ a: { c: null, d: [1, { x: 1, y: 2 }] }, b: 1 }));
  });
});
