import { createHash, randomBytes } from 'node:crypto';
import { request as httpRequest, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import express from 'express';
import { StreamedBase64 } from '../attachments/streamed-base64';
import { streamedAttachmentBodies } from './streamed-body';

/** A maximum attachment: its bytes decode into a lent slab. */
const bytes = () => randomBytes(5 * 1024 * 1024);
const body = (content: Buffer) => JSON.stringify({ paymentId: 'p', attachments: [{ fileName: 'a.pdf', contentType: 'application/pdf', contentBase64: content.toString('base64') }] });
const sha = (content: Buffer) => createHash('sha256').update(content).digest('hex');

describe('attachment slabs lent to a streamed body', () => {
  let server: Server;
  const seen: Array<{ buffer: ArrayBufferLike; sha256: string }> = [];
  let hold: (() => void) | null = null;

  beforeAll(async () => {
    const app = express();
    app.use(streamedAttachmentBodies(40 * 1024 * 1024));
    app.post('/v1/disputes', (request, response) => {
      const decoded = (request.body.attachments[0].contentBase64 as StreamedBase64).bytes;
      seen.push({ buffer: decoded.buffer, sha256: sha(decoded) });
      if (request.headers['x-hold']) hold = () => response.end();
      else response.status(201).json({ ok: true });
    });
    server = app.listen(0);
    await new Promise((resolve) => server.once('listening', resolve));
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const post = (content: Buffer, headers: Record<string, string> = {}) => {
    const text = body(content);
    const sent = httpRequest({ port: (server.address() as AddressInfo).port, method: 'POST', path: '/v1/disputes', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers } });
    const answered = new Promise<number>((resolve, reject) => {
      sent.on('response', (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      });
      sent.on('error', reject);
    });
    sent.end(text);
    return { sent, answered };
  };

  it('decodes the next request into the slab the last one gave back, each request its own bytes', async () => {
    const [first, second] = [bytes(), bytes()];
    expect(await post(first).answered).toBe(201);
    expect(await post(second).answered).toBe(201);
    expect(seen.map((one) => one.sha256)).toEqual([sha(first), sha(second)]);
    expect(seen[1].buffer).toBe(seen[0].buffer);
  });

  it('abandons the slab of a request whose client hung up before its response: it is never lent again', async () => {
    seen.length = 0;
    const held = post(bytes(), { 'x-hold': '1' });
    held.answered.catch(() => undefined);
    await new Promise<void>((resolve) => {
      const waitForHandler = () => (hold ? resolve() : setTimeout(waitForHandler, 10));
      waitForHandler();
    });
    held.sent.destroy();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const next = bytes();
    expect(await post(next).answered).toBe(201);
    expect(seen[1].buffer).not.toBe(seen[0].buffer);
    expect(seen[1].sha256).toBe(sha(next));
    hold!();
  });
});
