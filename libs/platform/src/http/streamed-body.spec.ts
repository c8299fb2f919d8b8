import { createHash } from 'node:crypto';
import { isBase64 } from 'class-validator';
import fc from 'fast-check';
import { StreamedBase64 } from '../attachments/streamed-base64';
import { updateWithJson } from './json-hash';
import { JsonStreamParser } from './json-stream';
import { attachmentSinks } from './streamed-body';

/** `left` stands for the body's bytes still to come: any value must give the same result, only sized differently. */
function streamed(text: string, cuts: number[], left = Infinity): Record<string, unknown> {
  const parser = new JsonStreamParser(attachmentSinks(() => left));
  let from = 0;
  for (const cut of [...cuts, text.length]) {
    parser.write(text.slice(from, cut));
    from = cut;
  }
  return parser.end() as Record<string, unknown>;
}

/** What a StreamedBase64 decoded, read back from memory or its file. */
const decoded = (value: unknown) => Buffer.concat(Array.from((value as StreamedBase64).bytes.piecesSync(), (piece) => Buffer.from(piece)));

const digest = (body: unknown) => updateWithJson(createHash('sha256').update('POST /v1/disputes\n'), body).digest('hex');

/** A JSON text for a string, with some characters escaped as a client may write them. */
const escapedText = (value: string, escapes: boolean[]) =>
  `"${[...value].map((char, index) => (escapes[index % escapes.length] ? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}` : char === '/' && escapes[0] ? '\\/' : JSON.stringify(char).slice(1, -1))).join('')}"`;

/** Attachment contents: valid base64 of any length, and near misses (trailing bits, padding, strays). */
const contents = fc.oneof(
  fc.uint8Array({ maxLength: 40 }).map((bytes) => Buffer.from(bytes).toString('base64')),
  fc.uint8Array({ minLength: 1, maxLength: 40 }).map((bytes) => Buffer.from(bytes).toString('base64').replace(/([A-Za-z0-9+/])(=+)$/, (_, last: string, pad: string) => `${last === 'A' ? 'B' : 'A'}${pad}`)),
  fc.string({ unit: fc.constantFrom(...'AQgw+/=\n é"\\\u0000'.split('')), maxLength: 24 }),
);

/** Values spelled as JSON.stringify would not write them: the fingerprint is of the value, not the text. */
const respelled = fc.constantFrom('1.0', '-0', '1E+2', '0.10e-0', '12345678901234567890', '1e400', '"\\u00e9\\ud83e\\udd80 \\/"', '{ "b":1, "a":2, "1":3, "b":4 }', '[ 1 ,\n2 ]', 'true', 'null');

const bodies = fc.tuple(
  fc.dictionary(fc.string(), fc.oneof(fc.jsonValue({ maxDepth: 2 }).map((value) => JSON.stringify(value)), respelled), { maxKeys: 3 }),
  fc.array(fc.tuple(contents, fc.array(fc.boolean(), { minLength: 1, maxLength: 5 }), fc.boolean()), { maxLength: 5 }),
  fc.constantFrom('', ' ', '\n  '),
).map(([extra, attachments, space]) => {
  const members = Object.entries(extra).filter(([key]) => key !== 'attachments').map(([key, value]) => `${JSON.stringify(key)}:${space}${value}`);
  const items = attachments.map(([content, escapes, contentFirst]) => {
    const fields = [`"fileName":${space}"a.png"`, `"contentType":"image/png"`];
    const contentField = `"contentBase64":${space}${escapedText(content, escapes)}`;
    return `{${space}${(contentFirst ? [contentField, ...fields] : [...fields, contentField]).join(`,${space}`)}}`;
  });
  return { text: `{${[...members, `"attachments":${space}[${items.join(',')}]`].join(`,${space}`)}}`, contents: attachments.map(([content]) => content) };
});

describe('attachment bodies parsed as they stream', () => {
  it('fingerprint as JSON.parse then updateWithJson did, and decode exactly the valid base64, cut anywhere', () => {
    fc.assert(fc.property(bodies, fc.array(fc.nat(), { maxLength: 5 }), fc.oneof(fc.constant(Infinity), fc.nat(64)), ({ text, contents }, raw, left) => {
      const cuts = [...new Set(raw.map((cut) => cut % (text.length + 1)))].sort((a, b) => a - b);
      const body = streamed(text, cuts, left);
      expect(digest(body)).toBe(digest(JSON.parse(text)));
      (body.attachments as Array<{ contentBase64: unknown }>).forEach(({ contentBase64 }, index) => {
        const sent = contents[index];
        if (sent !== '' && isBase64(sent)) {
          expect(contentBase64).toBeInstanceOf(StreamedBase64);
          expect(decoded(contentBase64).equals(Buffer.from(sent, 'base64'))).toBe(true);
        } else {
          expect(contentBase64).toBe(sent);
        }
      });
    }), { numRuns: 1500 });
  });

  it('hashes a 5 MiB attachment as the string sent, whatever its trailing bits', () => {
    const bytes = Buffer.alloc(5 * 1024 * 1024 - 1, 0xab);
    const canonical = bytes.toString('base64');
    const trailingBits = canonical.replace(/w==$/, 'x==');
    expect(Buffer.from(trailingBits, 'base64').equals(bytes) && trailingBits !== canonical).toBe(true);
    for (const content of [canonical, trailingBits]) {
      const text = `{"attachments":[{"contentBase64":"${content}","fileName":"x"}],"paymentId":"p"}`;
      for (const left of [Infinity, text.length, 1000]) {
        const body = streamed(text, [17, 70_001, 4_000_003], left);
        expect(digest(body)).toBe(digest(JSON.parse(text)));
        const { bytes: spooled } = (body.attachments as Array<{ contentBase64: StreamedBase64 }>)[0].contentBase64;
        expect(spooled.spooled).toBe(true);
        expect(decoded((body.attachments as Array<{ contentBase64: StreamedBase64 }>)[0].contentBase64).equals(bytes)).toBe(true);
        expect(spooled.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
      }
    }
  });

  it('refuses at once a sixth attachment and more than 5 MiB decoded, naming the field', () => {
    const six = `{"attachments":[${Array(6).fill('{"contentBase64":"AAAA"}').join(',')}`;
    expect(() => streamed(six, [])).toThrow(expect.objectContaining({ errors: [expect.objectContaining({ field: 'attachments', code: 'array_max_size' })] }));
    const big = `{"attachments":[{"contentBase64":"AAAA"},{"contentBase64":"${'A'.repeat((5 * 1024 * 1024 * 4) / 3 + 4)}`;
    expect(() => streamed(big, [100])).toThrow(expect.objectContaining({ errors: [expect.objectContaining({ field: 'attachments.1.contentBase64', code: 'too_large' })] }));
    // Exactly 5 MiB passes.
    const max = `{"attachments":[{"contentBase64":"${Buffer.alloc(5 * 1024 * 1024).toString('base64')}"}]}`;
    expect(((streamed(max, [50]).attachments as Array<{ contentBase64: StreamedBase64 }>)[0].contentBase64).bytes.size).toBe(5 * 1024 * 1024);
  });

  it('leaves strings elsewhere as strings', () => {
    const body = streamed('{"contentBase64":"AAAA","x":{"attachments":[{"contentBase64":"AAAA"}]},"attachments":{"0":{"contentBase64":"AAAA"}}}', []);
    expect(body).toEqual({ contentBase64: 'AAAA', x: { attachments: [{ contentBase64: 'AAAA' }] }, attachments: { 0: { contentBase64: 'AAAA' } } });
  });
});
