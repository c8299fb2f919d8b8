import { createHash } from 'node:crypto';
import { ApiProperty } from '@nestjs/swagger';
import { IsBase64, IsIn, IsNotEmpty, IsString, Length } from 'class-validator';
import { EntityManager } from 'typeorm';
import { ErrorSpec, ProblemException } from '../http/problem';

export const ATTACHMENT_TYPES = ['image/jpeg', 'image/png', 'application/pdf'] as const;

/** An attachment as clients send it (CONTRACT §4): at most 5 MiB decoded, JPEG, PNG or PDF. */
export class AttachmentDto {
  @ApiProperty() @IsString() @Length(1, 255) fileName: string;
  @ApiProperty({ enum: ATTACHMENT_TYPES }) @IsIn(ATTACHMENT_TYPES) contentType: (typeof ATTACHMENT_TYPES)[number];
  @ApiProperty({ description: 'at most 5 MiB decoded' }) @IsString() @IsNotEmpty() @IsBase64() contentBase64: string;
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

/** Magic numbers of the accepted types: the bytes decide, not the label the client put on them. */
const SIGNATURES: Array<[string, number[]]> = [
  ['image/png', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
  ['image/jpeg', [0xff, 0xd8, 0xff]],
  ['application/pdf', [0x25, 0x50, 0x44, 0x46, 0x2d]],
];

export function sniffContentType(bytes: Buffer): string | null {
  const match = SIGNATURES.find(([, magic]) => magic.every((byte, index) => bytes[index] === byte));
  return match ? match[0] : null;
}

export interface DecodedAttachment {
  fileName: string;
  contentType: string;
  content: Buffer;
  sha256: string;
}

export function decodeAttachment(attachment: AttachmentDto, index: number): DecodedAttachment {
  const content = Buffer.from(attachment.contentBase64, 'base64');
  if (content.length > MAX_ATTACHMENT_BYTES) {
    throw new ProblemException(AttachmentErrors.PayloadTooLarge, `attachments[${index}] is ${content.length} bytes; at most ${MAX_ATTACHMENT_BYTES}`, [
      { field: `attachments.${index}.contentBase64`, code: 'too_large', message: 'at most 5 MiB decoded' },
    ]);
  }
  const detected = sniffContentType(content);
  if (detected !== attachment.contentType) {
    throw new ProblemException(AttachmentErrors.UnsupportedMediaType, `attachments[${index}] is not a ${attachment.contentType}`, [
      { field: `attachments.${index}.contentType`, code: 'content_mismatch', message: `the bytes are ${detected ?? 'not JPEG, PNG or PDF'}` },
    ]);
  }
  return { fileName: attachment.fileName, contentType: detected, content, sha256: createHash('sha256').update(content).digest('hex') };
}

export function describeAttachment({ fileName, contentType, content, sha256 }: DecodedAttachment): AttachmentView {
  return { fileName, contentType, size: content.length, sha256 };
}

/** Stores attachments in `<schema>.attachments`; bodies are never logged. */
export async function storeAttachments(manager: EntityManager, schema: string, owner: { disputeId: string; messageId: string | null }, attachments: DecodedAttachment[]): Promise<void> {
  for (const attachment of attachments) {
    await manager.query(
      `INSERT INTO "${schema}".attachments (dispute_id, message_id, file_name, content_type, size, sha256, content) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [owner.disputeId, owner.messageId, attachment.fileName, attachment.contentType, attachment.content.length, attachment.sha256, attachment.content],
    );
  }
}
