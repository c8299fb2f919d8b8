import { findShapeProblem, MAX_JSON_DEPTH } from './json-shape';

describe('JSON body shape', () => {
  it('accepts ordinary bodies', () => {
    expect(findShapeProblem({ a: [{ b: 1 }], c: null })).toBeNull();
    expect(findShapeProblem('text')).toBeNull();
  });

  it.each(['__proto__', 'constructor', 'prototype'])('refuses %s at any depth', (key) => {
    expect(findShapeProblem(JSON.parse(`{"a":{"b":[{"${key}":{"x":1}}]}}`))).toMatchObject({ field: `a.b.0.${key}`, code: 'forbidden_key' });
  });

  it('refuses nesting past the limit without overflowing the stack', () => {
    const deep = JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    expect(findShapeProblem(deep)).toMatchObject({ code: 'too_deep' });
    let ok: unknown = 1;
    for (let level = 0; level < MAX_JSON_DEPTH; level++) ok = [ok];
    expect(findShapeProblem(ok)).toBeNull();
  });
});
