import { StringDecoder } from 'node:string_decoder';
import type { NextFunction, Request, Response } from 'express';
import { AttachmentErrors, MAX_ATTACHMENTS, MAX_ATTACHMENT_BYTES } from '../attachments/attachments';
import { Base64Sink } from '../attachments/streamed-base64';
import { SpooledBytes } from '../attachments/spooled-bytes';
import { JsonPath, JsonStreamError, JsonStreamParser, StringSink } from './json-stream';
import { CommonErrors, ProblemException } from './problem';

/**
 * The routes whose bodies carry attachments (CONTRACT §4, §10): intake's filing and message, investigation's
 * merchant evidence, merchant message and appeal. Only these are parsed here; every other route keeps body-parser.
 */
export const ATTACHMENT_ROUTES = [/^\/v1\/disputes$/, /^\/v1\/disputes\/[^/]+\/messages$/, /^\/v1\/merchant\/disputes\/[^/]+\/(evidence|messages|appeal)$/];

const CHARSET = /;\s*charset\s*=\s*"?([^";\s]*)/i;

/**
 * The sinks of a body: `body.attachments[i].contentBase64` is decoded as it streams, any other string is
 * built as usual. `bytesLeft` is at least what is still to come of the body (Infinity when unknown): an
 * attachment's bytes fit in three quarters of it, so its buffer can be sized once.
 */
export function attachmentSinks(bytesLeft: () => number = () => Infinity, holds?: (bytes: SpooledBytes) => void) {
  return (path: JsonPath): StringSink | null => {
    if (path.length !== 3 || path[0] !== 'attachments' || typeof path[1] !== 'number' || path[2] !== 'contentBase64') return null;
    const index = path[1];
    // Refused at once, as validation would refuse it: a sixth attachment's bytes are not worth reading.
    if (index >= MAX_ATTACHMENTS) {
      throw new ProblemException(CommonErrors.ValidationFailed, 'One or more fields are invalid', [
        { field: 'attachments', code: 'array_max_size', message: `attachments must contain no more than ${MAX_ATTACHMENTS} elements` },
      ]);
    }
    const tooLarge = () => new ProblemException(
      AttachmentErrors.PayloadTooLarge, `attachments[${index}] is more than ${MAX_ATTACHMENT_BYTES} bytes; at most ${MAX_ATTACHMENT_BYTES}`,
      [{ field: `attachments.${index}.contentBase64`, code: 'too_large', message: 'at most 5 MiB decoded' }],
    );
    const left = bytesLeft();
    return new Base64Sink(MAX_ATTACHMENT_BYTES, tooLarge, Number.isFinite(left) ? Math.ceil((left * 3) / 4) + 3 : undefined, holds);
  };
}

/**
 * The request's attachment bytes are released once its connection closes, answered or not: by then a handler
 * has stored them, or a COPY still reading keeps its file open until it finishes (SpooledBytes).
 */
function releasedWhenClosed(response: Response): (bytes: SpooledBytes) => void {
  const held: SpooledBytes[] = [];
  response.once('close', () => held.splice(0).forEach((bytes) => bytes.release()));
  return (bytes) => void held.push(bytes);
}

/** Whether body-parser would read this body as UTF-8 JSON with nothing to inflate; anything else is left to it. */
function isPlainJson(request: Request, limitBytes: number): boolean {
  if (request.method !== 'POST' || !ATTACHMENT_ROUTES.some((route) => route.test(request.path)) || !request.is('application/json')) return false;
  if ((request.headers['content-encoding'] ?? 'identity').toLowerCase() !== 'identity') return false;
  const charset = CHARSET.exec(request.headers['content-type'] ?? '')?.[1].toLowerCase();
  if (charset !== undefined && charset !== 'utf-8') return false;
  const declared = request.headers['content-length'];
  if (declared !== undefined) return Number(declared) > 0 && Number(declared) <= limitBytes;
  return request.headers['transfer-encoding'] !== undefined;
}

/** body-parser's errors, so that the problem filter answers them with today's codes. */
function bodyParserError(status: number, type: string, message: string): Error {
  return Object.assign(new Error(message), { status, statusCode: status, type, expose: true });
}

/**
 * Issue 16's memory bound for filings: a body of five 5 MiB attachments is 33 MiB of JSON, and parsing it
 * whole held the raw chunks, the body string, the base64 strings and the decoded bytes at once (~+250 MB).
 * Here the body is parsed as it arrives: no whole-body string and no base64 string exists; each
 * attachment's content reaches the DTO as a StreamedBase64 holding its decoded bytes, spooled to a temporary
 * file past 256 KiB (AttachmentDto validates it as it validated the string), and the idempotency fingerprint
 * re-serialises it exactly.
 * Errors are body-parser's (400 malformed_json, 413 payload_too_large) or the attachment's own problem,
 * sent as soon as it is known; the rest of the body is then read and dropped so the connection stays usable.
 */
export function streamedAttachmentBodies(limitBytes: number) {
  return (request: Request, response: Response, next: NextFunction): void => {
    if (!isPlainJson(request, limitBytes)) return next();
    const decoder = new StringDecoder('utf8');
    const declared = Number(request.headers['content-length'] ?? Infinity);
    let received = 0;
    let chunkLength = 0;
    // The current chunk is being parsed: what is left is at most its bytes and those still to come.
    const parser = new JsonStreamParser(attachmentSinks(() => declared - received + chunkLength, releasedWhenClosed(response)));
    let sawText = false;
    let done = false;
    const finish = (error?: unknown) => {
      if (done) return;
      done = true;
      request.removeListener('data', onData);
      request.resume(); // drain what is left, unbuffered
      if (error instanceof JsonStreamError) return next(bodyParserError(400, 'entity.parse.failed', error.message));
      next(error);
    };
    const feed = (text: string) => {
      // iconv, which body-parser decodes with, drops a byte order mark.
      if (!sawText && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      if (text.length > 0) sawText = true;
      parser.write(text);
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      chunkLength = chunk.length;
      if (received > limitBytes) return finish(bodyParserError(413, 'entity.too.large', 'request entity too large'));
      try {
        feed(decoder.write(chunk));
      } catch (error) {
        finish(error);
      }
    };
    request.on('data', onData);
    request.once('error', finish);
    request.once('end', () => {
      if (done) return;
      try {
        feed(decoder.end());
        // body-parser answers an empty body with {}.
        request.body = sawText ? parser.end() : {};
        finish();
      } catch (error) {
        finish(error);
      }
    });
  };
}
