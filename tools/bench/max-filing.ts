// The largest inline filing POST /v1/disputes accepts, for the bench's memory phase (M, issue 16: peak RSS
// "while four maximum inline filings arrive at once"). The limits, kept in step by hand with their sources:
//   - at most 5 attachments (apps/intake/src/disputes/dto/create-dispute.dto.ts, @ArrayMaxSize(5));
//   - each at most 5 MiB decoded (MAX_ATTACHMENT_BYTES, libs/platform/src/attachments/attachments.ts), and
//     its bytes must sniff as the JPEG, PNG or PDF its contentType says;
//   - the whole body at most 36 MiB (BODY_LIMIT, libs/platform/src/bootstrap.ts; CONTRACT §1).
// Five 5-MiB files are 33.3 MiB of base64, so the attachment limits bind before the body limit does.
import { randomBytes } from 'node:crypto';

export const MAX_ATTACHMENTS = 5;
export const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;
export const BODY_LIMIT_BYTES = 36 * 1024 * 1024;

type ContentType = 'image/jpeg' | 'image/png' | 'application/pdf';

// Header and trailer of each type around incompressible filler, like a real photo or scanned receipt: the
// service sniffs the magic number, stores the bytes and hashes them, and random bytes cost what real ones do.
const PNG_IHDR = Buffer.from('0000000d49484452000007800000043808020000000000000000', 'hex'); // 1920×1080 RGB (CRC not checked)
const FORMATS: Record<ContentType, { ext: string; head: Buffer; tail: Buffer }> = {
  'image/jpeg': { ext: 'jpg', head: Buffer.from('ffd8ffe000104a46494600010101004800480000', 'hex'), tail: Buffer.from('ffd9', 'hex') },
  'image/png': { ext: 'png', head: Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), PNG_IHDR]), tail: Buffer.from('0000000049454e44ae426082', 'hex') },
  'application/pdf': { ext: 'pdf', head: Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Filter /DCTDecode >>\nstream\n', 'latin1'), tail: Buffer.from('\nendstream\nendobj\n%%EOF\n', 'latin1') },
};
const TYPES: ContentType[] = ['image/jpeg', 'image/png', 'application/pdf', 'image/jpeg', 'image/png'];

/** A file of exactly `size` bytes whose magic number and trailer are those of `contentType`. */
function fakeFile(contentType: ContentType, size: number): Buffer {
  const { head, tail } = FORMATS[contentType];
  return Buffer.concat([head, randomBytes(size - head.length - tail.length), tail]);
}

/**
 * The JSON body (a string, serialised once) of a maximum inline filing against `paymentId`: five attachments
 * of 5 MiB each, distinct bytes per call (each filing's attachments hash differently, as real ones would).
 */
export function maxInlineFiling(paymentId: string): string {
  const attachments = TYPES.slice(0, MAX_ATTACHMENTS).map((contentType, index) => ({
    fileName: `evidence-${index + 1}.${FORMATS[contentType].ext}`,
    contentType,
    contentBase64: fakeFile(contentType, MAX_ATTACHMENT_BYTES).toString('base64'),
  }));
  const body = JSON.stringify({ paymentId, reason: 'duplicate_charge', description: 'charged twice; receipts and statements attached (bench)', attachments });
  if (body.length > BODY_LIMIT_BYTES) throw new Error(`a maximum filing is ${body.length} bytes, over the ${BODY_LIMIT_BYTES}-byte body limit`);
  return body;
}
