import { createHash } from 'node:crypto';
import { updateWithJson } from './json-hash';

describe('updateWithJson', () => {
  it('hashes what JSON.stringify writes, for any body JSON.parse makes', () => {
    const bodies = [
      null, {}, [], 'text', 0, -1.5e300, true,
      { paymentId: 'p1', reason: 'other', description: '“quoted” \\ \n\t \u0001 🦀 收据', amount: 4200, nested: { list: [1, 'two', null, false, [], {}] } },
      JSON.parse('{"a":1,"b":[{"c":"\\u00e9\\ud83e\\udd80"}],"d":{"":""},"10":"numeric key first"}'),
      { attachments: [{ fileName: 'r.png', contentType: 'image/png', contentBase64: Buffer.alloc(100_000, 7).toString('base64') }] },
    ];
    for (const body of bodies) {
      const expected = createHash('sha256').update(JSON.stringify(body)).digest('hex');
      expect(updateWithJson(createHash('sha256'), body).digest('hex')).toBe(expected);
    }
  });
});
