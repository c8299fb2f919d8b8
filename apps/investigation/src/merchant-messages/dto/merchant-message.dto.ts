import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MESSAGE_VISIBILITIES, MessageVisibility } from '@recourse/contracts';
import { AttachmentDto, MAX_ATTACHMENTS } from '@recourse/platform';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, Length, ValidateNested } from 'class-validator';
import { ThreadEntryView } from '../../conversation/dto/thread.view';

/** A merchant's message (CONTRACT §10); its files are checked as the evidence route checks them. */
export class MerchantMessageDto {
  @ApiProperty({ minLength: 1, maxLength: 5000 }) @IsString() @Length(1, 5000) body: string;
  @ApiProperty({ enum: MESSAGE_VISIBILITIES, description: '`all`: the customer reads it too; `platform`: investigators only' })
  @IsIn(MESSAGE_VISIBILITIES) visibility: MessageVisibility;
  @ApiPropertyOptional({ type: [AttachmentDto], maxItems: 5 })
  @IsOptional() @IsArray() @ArrayMaxSize(MAX_ATTACHMENTS) @ValidateNested({ each: true }) @Type(() => AttachmentDto)
  attachments?: AttachmentDto[];
}

/** The message as written, as it now stands in the merchant's thread. */
export class MerchantMessageView extends ThreadEntryView {}
