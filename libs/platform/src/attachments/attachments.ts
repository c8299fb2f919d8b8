import { createHash } from 'node:crypto';
import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { buildMessage, IsIn, isBase64, IsNotEmpty, IsString, isString, Length, ValidateBy } from 'class-validator';
import type { EntityManager } from 'typeorm';
import { ErrorSpec, ProblemException } from '../http/problem';
import { copyAttachments } from './attachment-copy';
import type { SpooledBytes } from './spooled-bytes';
import { StreamedBase64 } from './streamed-base64';

export const ATTACHMENT_TYPES = ['image/jpeg', 'image/png', 'application/pdf'] as const;

/**
 * @IsString and @IsBase64 under their own names (so codes and messages are today's), also passing content
 * the body stream already decoded: a StreamedBase64 is only ever made of a non-empty, valid base64 string.
 */
const IsStringContent = () => ValidateBy({
  name: 'isString',
  validator: { validate: (value) => value instanceof StreamedBase64 || isString(value), defaultMessage: buildMessage((each) => `${each}$property must be a string`) },
});
const IsBase64Content = () => ValidateBy({
  name: 'isBase64',
  validator: { validate: (value) => value instanceof StreamedBase64 || isBase64(value), defaultMessage: buildMessage((each) => `${each}$property must be base64 encoded`) },
});

/** An attachment as clients send it (CONTRACT §4): at most 5 MiB decoded, JPEG, PNG or PDF. */
export class AttachmentDto {
  @ApiProperty() @IsString() @Length(1, 255) fileName: string;
  @ApiProperty({ enum: ATTACHMENT_TYPES }) @IsIn(ATTACHMENT_TYPES) contentType: (typeof ATTACHMENT_TYPES)[number];
  /** A string, or on the attachment routes the bytes decoded as the body streamed in (http/streamed-body.ts). */
  @ApiProperty({ type: String, description: 'at most 5 MiB decoded' })
  // class-transformer would replace a StreamedBase64 with an empty copy: keep the instance the body holds.
  @Transform(({ obj, key }) => obj[key])
  @IsStringContent() @IsNotEmpty() @IsBase64Content()
  contentBase64: string | StreamedBase64;
}

export class AttachmentView {
  @ApiProperty() fileName: string;
  @ApiProperty() contentType: string;
  @ApiProperty() size: number;
  @ApiProperty() sha256: string;
}

export const AttachmentErrors = {
  UnsupportedMediaType: { code: 'unsupported_media_type', status: 415, title: 'Attachments must be JPEG, PNG or PDF' },
  PayloadTooLarge: { code: 'payload_too_large', status: 413, title: 'An attachment is larger than 5 MiB' },
} as const satisfies Record<string, ErrorSpec>;

export const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;
/** At most this many attachments per request (the DTOs' @ArrayMaxSize). */
export const MAX_ATTACHMENTS = 5;

/** Magic numbers of the accepted types: the bytes decide, not the label the client put on them. */
const SIGNATURES: Array<[string, number[]]> = [
  ['image/png', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
  ['image/jpeg', [0xff, 0xd8, 0xff]],
  ['application/pdf', [0x25, 0x50, 0x44, 0x46, 0x2d]],
];

/** The longest signature: the bytes sniffing needs. */
const SIGNATURE_BYTES = Math.max(...SIGNATURES.map(([, magic]) => magic.length));

export function sniffContentType(bytes: Buffer): string | null {
  const match = SIGNATURES.find(([, magic]) => magic.every((byte, index) => bytes[index] === byte));
  return match ? match[0] : null;
}

export interface DecodedAttachment {
  fileName: string;
  contentType: string;
  /** The bytes: spooled as the body streamed in (streamed-body.ts), or decoded from a string body-parser gave. */
  content: Buffer | SpooledBytes;
  size: number;
  sha256: string;
}

export function decodeAttachment(attachment: AttachmentDto, index: number): DecodedAttachment {
  const { contentBase64 } = attachment;
  const content = contentBase64 instanceof StreamedBase64 ? contentBase64.bytes : Buffer.from(contentBase64, 'base64');
  const size = Buffer.isBuffer(content) ? content.length : content.size;
  if (size > MAX_ATTACHMENT_BYTES) {
    throw new ProblemException(AttachmentErrors.PayloadTooLarge, `attachments[${index}] is ${size} bytes; at most ${MAX_ATTACHMENT_BYTES}`, [
      { field: `attachments.${index}.contentBase64`, code: 'too_large', message: 'at most 5 MiB decoded' },
    ]);
  }
  const detected = sniffContentType(Buffer.isBuffer(content) ? content : content.head(SIGNATURE_BYTES));
  if (detected !== attachment.contentType) {
    throw new ProblemException(AttachmentErrors.UnsupportedMediaType, `attachments[${index}] is not a ${attachment.contentType}`, [
      { field: `attachments.${index}.contentType`, code: 'content_mismatch', message: `the bytes are ${detected ?? 'not JPEG, PNG or PDF'}` },
    ]);
  }
  const sha256 = Buffer.isBuffer(content) ? createHash('sha256').update(content).digest('hex') : content.sha256;
  return { fileName: attachment.fileName, contentType: detected, content, size, sha256 };
}

export function describeAttachment({ fileName, contentType, size, sha256 }: DecodedAttachment): AttachmentView {
  return { fileName, contentType, size, sha256 };
}

/** Stores attachments in `<schema>.attachments`, in the manager's transaction; bodies are never logged. */
export async function storeAttachments(manager: EntityManager, schema: 'intake' | 'investigation', owner: { disputeId: string; messageId: string | null }, attachments: DecodedAttachment[]): Promise<void> {
  await copyAttachments(manager, schema, attachments.map(({ fileName, contentType, sha256, content, size }) => ({ ...owner, fileName, contentType, sha256, content, size })));
}
