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

  it('with its head, finds entries removed from the end', () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { minLength: 1, maxLength: 20 }), fc.nat(), (actions, cut) => {
        const entries = chain(actions);
        const last = entries.at(-1)!;
        const head = { seq: last.seq, hash: last.hash };
        expect(verifyChain(entries, head)).toEqual({ valid: true, entries: entries.length });
        const kept = cut % entries.length;
        // The shorter chain still links; only the head shows that entry kept + 1 was there.
        expect(verifyChain(entries.slice(0, kept))).toEqual({ valid: true, entries: kept });
        expect(verifyChain(entries.slice(0, kept), head)).toEqual({ valid: false, brokenAt: kept + 1 });
      }),
    );
  });

  it('finds an entry removed from the middle at its seq', () => {
    const entries = chain(['case.opened', 'case.triaged', 'case.noted', 'case.decided']);
    expect(verifyChain([entries[0], entries[1], entries[3]])).toEqual({ valid: false, brokenAt: 3 });
  });

  it('with its head, finds a last entry replaced or one appended behind its back', () => {
    const entries = chain(['case.opened', 'case.triaged']);
    const head = { seq: 2, hash: entries[1].hash };
    const rewritten = [entries[0], appendEntry(entries[0], { at: '2026-11-24T08:31:00.000Z', actor: { type: 'system', id: 'x' }, action: 'forged', data: {} })];
    expect(verifyChain(rewritten, head)).toEqual({ valid: false, brokenAt: 2 });
    expect(verifyChain(chain(['case.opened', 'case.triaged', 'extra']), head)).toEqual({ valid: false, brokenAt: 3 });
  });

  it('canonical JSON ignores key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).toBe(canonicalJson({ a: { c: null, d: [1, { x: 1, y: 2 }] }, b: 1 }));
  });

  it('canonical JSON is exactly this text: keys in code-unit order, undefined members left out, undefined items null', () => {
    const value = { 'é': true, b: [1, undefined, 'x"y'], a: { d: null, c: undefined }, Z: {}, aa: [], '': 0.5 };
    expect(canonicalJson(value)).toBe('{"":0.5,"Z":{},"a":{"d":null},"aa":[],"b":[1,null,"x\\"y"],"é":true}');
    expect(canonicalJson('text')).toBe('"text"');
    expect(canonicalJson(undefined)).toBe('null');
  });
});
