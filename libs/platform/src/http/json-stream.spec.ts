import fc from 'fast-check';
import { JsonStreamParser } from './json-stream';

/** Parses `text` written in the pieces between `cuts` (ascending offsets). */
function parseInPieces(text: string, cuts: number[]): unknown {
  const parser = new JsonStreamParser();
  let from = 0;
  for (const cut of [...cuts, text.length]) {
    parser.write(text.slice(from, cut));
    from = cut;
  }
  return parser.end();
}

/** JSON.parse as body-parser's strict mode applies it: only an object or an array is a document. */
function strictParse(text: string): unknown {
  const value = JSON.parse(text);
  if (!/^[ \t\n\r]*[[{]/.test(text)) throw new SyntaxError('not an object or array');
  return value;
}

/** Same values, same key order, same own `__proto__`, -0 apart from 0. */
function expectSame(actual: unknown, expected: unknown): void {
  if (expected === null || typeof expected !== 'object') return void expect(Object.is(actual, expected)).toBe(true);
  expect(Array.isArray(actual)).toBe(Array.isArray(expected));
  expect(Object.getPrototypeOf(actual)).toBe(Object.getPrototypeOf(expected));
  expect(Object.keys(actual as object)).toEqual(Object.keys(expected));
  for (const key of Object.keys(expected)) expectSame((actual as Record<string, unknown>)[key], (expected as Record<string, unknown>)[key]);
}

/** Either both refuse `text`, or both give the same value, whatever the cuts. */
function expectLikeJsonParse(text: string, cuts: number[]): void {
  let expected: unknown;
  try {
    expected = strictParse(text);
  } catch {
    expect(() => parseInPieces(text, cuts)).toThrow(SyntaxError);
    return;
  }
  expectSame(parseInPieces(text, cuts), expected);
}

/** One JSON text for `value`, chosen among the many: whitespace, escapes and number spellings vary. */
const jsonText = (value: unknown): fc.Arbitrary<string> => {
  const space = fc.constantFrom('', '', ' ', '\n', '\t', '\r\n  ');
  if (typeof value === 'string') return fc.array(fc.boolean(), { minLength: value.length, maxLength: value.length }).map((escaped) => {
    const chars = [...value].map((char, index) => {
      if (!escaped[index]) return JSON.stringify(char).slice(1, -1);
      if (char === '/') return '\\/';
      return [...Array(char.length).keys()].map((unit) => `\\u${char.charCodeAt(unit).toString(16).padStart(4, '0')}`).join('');
    });
    return `"${chars.join('')}"`;
  });
  if (typeof value === 'number') {
    const plain = JSON.stringify(value);
    if (/^-?\d+$/.test(plain)) return fc.constantFrom(plain, `${plain}.0`, `${plain}e0`, `${plain}E+00`, `${plain}0e-1`);
    if (/^-?\d+\.\d+$/.test(plain)) return fc.constantFrom(plain, `${plain}0`, `${plain}e0`, `${plain}E-0`);
    return fc.constant(plain);
  }
  if (Array.isArray(value)) {
    return fc.tuple(space, ...value.map(jsonText), space).map(([before, ...rest]) => `[${before}${rest.slice(0, -1).join(',')}${rest[rest.length - 1]}]`);
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    // Members in any rotation: JSON.parse puts integer-like keys first whatever the text's order.
    return fc.tuple(space, fc.nat(), ...entries.map(([key, item]) => fc.tuple(jsonText(key), space, jsonText(item)).map(([k, s, v]) => `${k}${s}:${s}${v}`))).map(
      ([before, turn, ...members]) => {
        const by = members.length ? turn % members.length : 0;
        return `{${before}${[...members.slice(by), ...members.slice(0, by)].join(`,${before}`)}}`;
      },
    );
  }
  return fc.constant(JSON.stringify(value));
};

const documents = fc.oneof(fc.array(fc.jsonValue({ maxDepth: 4 })), fc.dictionary(fc.string({ unit: 'binary' }), fc.jsonValue({ maxDepth: 4 })), fc.object())
  .map((value) => JSON.parse(JSON.stringify(value)) as unknown)
  .chain(jsonText);

describe('JsonStreamParser', () => {
  it('gives what JSON.parse gives, cut anywhere', () => {
    fc.assert(fc.property(documents, fc.array(fc.nat(), { maxLength: 6 }), (text, raw) => {
      expectLikeJsonParse(text, [...new Set(raw.map((cut) => cut % (text.length + 1)))].sort((a, b) => a - b));
    }), { numRuns: 400 });
  });

  it('gives the same value with a cut at every position of a body', () => {
    const text = '{ "b":[1,-0.5e-3,true,false,null,"\\u00e9\\ud83e\\udd80\\n\\/"], "10":{"":[]},"a" : "x\\"y", "b":2, "__proto__": {"p": 1}, "n": -0 }';
    for (let cut = 0; cut <= text.length; cut += 1) expectLikeJsonParse(text, [cut]);
    const parsed = parseInPieces(text, []) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(['10', 'b', 'a', '__proto__', 'n']);
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
  });

  it('refuses what JSON.parse refuses, and documents that are not an object or an array', () => {
    const refused = [
      '', ' ', '{', '[1,]', '{"a":1,}', '{"a" 1}', '{a:1}', "{'a':1}", '[01]', '[1.]', '[.5]', '[+1]', '[1e]', '[-]', '[tru]', '[nul]',
      '["\\x"]', '["\\u12G4"]', '["a\nb"]', '["\u0000"]', '[1] [2]', '{}x', '"text"', '42', 'null', 'true', '[1}', '{"a":1]', '[NaN]',
    ];
    for (const text of refused) for (let cut = 0; cut <= text.length; cut += 1) expect(() => parseInPieces(text, [cut])).toThrow(SyntaxError);
  });

  it('refuses what JSON.parse refuses among small random edits of valid documents', () => {
    const edited = fc.tuple(documents, fc.nat(), fc.constantFrom('', ',', '"', '\\', ']', '}', ':', '0', '-', 'e', '.', ' ', '\u0001'), fc.nat())
      .map(([text, at, insert, cut]) => {
        const where = at % (text.length + 1);
        const changed = `${text.slice(0, where)}${insert}${text.slice(where + (insert === '' ? 1 : 0))}`;
        return { changed, cut: cut % (changed.length + 1) };
      });
    fc.assert(fc.property(edited, ({ changed, cut }) => expectLikeJsonParse(changed, [cut])), { numRuns: 1000 });
  });

  it('nests deeper than a recursive parser could', () => {
    const depth = 100_000;
    expect(() => parseInPieces(`${'['.repeat(depth)}${']'.repeat(depth)}`, [depth])).not.toThrow();
  });
});
