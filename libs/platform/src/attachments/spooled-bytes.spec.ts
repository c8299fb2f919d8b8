import { createHash, randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import fc from 'fast-check';
import { SpooledBytes } from './spooled-bytes';

/** Writes `content` as the sink does: its base64 in pieces cut at quanta (4 characters). */
function spool(content: Buffer, cutsAt: number[], inMemoryBytes: number, expected = content.length): SpooledBytes {
  const bytes = new SpooledBytes(expected, inMemoryBytes);
  const text = content.toString('base64');
  let from = 0;
  for (const cut of [...cutsAt.map((at) => at - (at % 4)).filter((at) => at > 0 && at < text.length).sort((a, b) => a - b), text.length]) {
    if (cut <= from) continue;
    const quanta = text.slice(from, cut);
    bytes.writeBase64(quanta, Buffer.byteLength(quanta, 'base64'));
    from = cut;
  }
  return bytes;
}

const readSync = (bytes: SpooledBytes) => Buffer.concat(Array.from(bytes.piecesSync(), (piece) => Buffer.from(piece)));
async function read(bytes: SpooledBytes): Promise<Buffer> {
  const pieces: Buffer[] = [];
  for await (const piece of bytes.pieces()) pieces.push(piece);
  return Buffer.concat(pieces);
}
const openFiles = () => readdirSync('/proc/self/fd').length;
const sha256 = (content: Buffer) => createHash('sha256').update(content).digest('hex');

describe('SpooledBytes', () => {
  it('gives back exactly the bytes written, their SHA-256 and their head, in memory or past it on a file', async () => {
    await fc.assert(fc.asyncProperty(
      fc.uint8Array({ maxLength: 200_000 }), fc.array(fc.nat(300_000), { maxLength: 6 }), fc.constantFrom(0, 3, 1024, 150_000, 1 << 20), fc.nat(300_000),
      async (raw, cuts, inMemoryBytes, expected) => {
        const content = Buffer.from(raw);
        const bytes = spool(content, cuts, inMemoryBytes, expected);
        expect(bytes.size).toBe(content.length);
        expect(bytes.spooled).toBe(content.length > inMemoryBytes);
        expect(bytes.head(8)).toEqual(content.subarray(0, 8));
        expect(readSync(bytes)).toEqual(content);
        expect(await read(bytes)).toEqual(content);
        expect(bytes.sha256).toBe(sha256(content));
        bytes.release();
      },
    ), { numRuns: 150 });
  });

  it('closes its file on release, or once a reader started before it finishes; reading after is refused', async () => {
    const content = randomBytes(200_000);
    const before = openFiles();
    const bytes = spool(content, [], 1024);
    expect(openFiles()).toBe(before + 1);
    const reading = bytes.pieces();
    const first = await reading.next();
    bytes.release();
    // The COPY still reading keeps the file: its descriptor is never closed under it.
    expect(openFiles()).toBe(before + 1);
    const rest: Buffer[] = [first.value as Buffer];
    for await (const piece of { [Symbol.asyncIterator]: () => reading }) rest.push(piece);
    expect(Buffer.concat(rest)).toEqual(content);
    expect(openFiles()).toBe(before);
    expect(() => bytes.head(1)).toThrow('released');
    await expect(read(bytes)).rejects.toThrow('released');
  });

  it('leaves no file behind: the spool file is unlinked as soon as it is opened', () => {
    const named = () => readdirSync(tmpdir()).filter((name) => name.startsWith('recourse-attachment-')).length;
    const before = named();
    const bytes = spool(randomBytes(10_000), [], 100);
    expect(bytes.spooled).toBe(true);
    expect(named()).toBe(before);
    bytes.release();
  });
});
