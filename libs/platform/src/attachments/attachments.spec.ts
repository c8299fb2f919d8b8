import { ArgumentMetadata } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsBase64, IsIn, IsNotEmpty, IsString, Length, ValidateNested } from 'class-validator';
import { ProblemException } from '../http/problem';
import { createValidationPipe } from '../http/validation';
import { JsonStreamParser } from '../http/json-stream';
import { attachmentSinks } from '../http/streamed-body';
import { ATTACHMENT_TYPES, AttachmentDto, decodeAttachment } from './attachments';
import { StreamedBase64 } from './streamed-base64';

/** AttachmentDto as it was before bodies streamed: the reference its validation must still match. */
class StringAttachmentDto {
  @IsString() @Length(1, 255) fileName: string;
  @IsIn(ATTACHMENT_TYPES) contentType: string;
  @IsString() @IsNotEmpty() @IsBase64() contentBase64: string;
}
class Before {
  @ValidateNested({ each: true }) @Type(() => StringAttachmentDto) attachments: StringAttachmentDto[];
}
class After {
  @ValidateNested({ each: true }) @Type(() => AttachmentDto) attachments: AttachmentDto[];
}

async function validate(metatype: ArgumentMetadata['metatype'], body: unknown): Promise<unknown> {
  try {
    return await createValidationPipe().transform(body, { type: 'body', metatype });
  } catch (error) {
    return (error as ProblemException).errors;
  }
}

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

describe('AttachmentDto with content decoded as the body streamed', () => {
  const contents: unknown[] = [PNG.toString('base64'), 'QR==', 'AAA', 'AA==AAAA', '', 'not base64!', 42, null, {}, ['AAAA'], true];

  it('lists the same problems as the string DTO did, streamed or not', async () => {
    for (const contentBase64 of contents) {
      const text = JSON.stringify({ attachments: [{ fileName: 'a.png', contentType: 'image/png', contentBase64 }, { fileName: '', contentType: 'x', contentBase64 }] });
      const parser = new JsonStreamParser(attachmentSinks());
      parser.write(text);
      const streamedBody = parser.end();
      const expected = await validate(Before, JSON.parse(text));
      expect(await validate(After, JSON.parse(text))).toEqual(expected);
      expect(await validate(After, streamedBody)).toEqual(expected);
    }
  });

  it('keeps the decoded bytes through validation, and decodes them as before', async () => {
    const parser = new JsonStreamParser(attachmentSinks());
    parser.write(JSON.stringify({ attachments: [{ fileName: 'a.png', contentType: 'image/png', contentBase64: PNG.toString('base64') }] }));
    const body = parser.end() as { attachments: Array<{ contentBase64: StreamedBase64 }> };
    const bytes = body.attachments[0].contentBase64.bytes;
    const validated = (await validate(After, body)) as After;
    expect(validated.attachments[0]).toBeInstanceOf(AttachmentDto);
    expect((validated.attachments[0].contentBase64 as StreamedBase64).bytes).toBe(bytes);
    const { content, ...streamed } = decodeAttachment(validated.attachments[0], 0);
    const { content: sent, ...fromString } = decodeAttachment({ fileName: 'a.png', contentType: 'image/png', contentBase64: PNG.toString('base64') }, 0);
    expect(streamed).toEqual(fromString);
    expect(content).toBe(bytes);
    expect(Buffer.concat(Array.from(bytes.piecesSync(), (piece) => Buffer.from(piece)))).toEqual(sent);
  });
});
