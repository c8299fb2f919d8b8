import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, Length, ValidateNested } from 'class-validator';
import { MESSAGE_VISIBILITIES, MessageVisibility } from '@recourse/contracts';
import { AttachmentDto, AttachmentView, MAX_ATTACHMENTS } from '@recourse/platform';

export class AddMessageDto {
  @ApiProperty({ minLength: 1, maxLength: 5000 }) @IsString() @Length(1, 5000) body: string;
  @ApiPropertyOptional({ enum: MESSAGE_VISIBILITIES, description: '`platform` (the default): investigators only; `all`: the merchant reads it too (CONTRACT §10)' })
  @IsOptional() @IsIn(MESSAGE_VISIBILITIES) visibility?: MessageVisibility;
  @ApiPropertyOptional({ type: [AttachmentDto], maxItems: 5 })
  @IsOptional() @IsArray() @ArrayMaxSize(MAX_ATTACHMENTS) @ValidateNested({ each: true }) @Type(() => AttachmentDto)
  attachments?: AttachmentDto[];
}

export class MessageView {
  @ApiProperty() id: string;
  @ApiProperty() disputeId: string;
  @ApiProperty() body: string;
  @ApiProperty({ enum: MESSAGE_VISIBILITIES }) visibility: MessageVisibility;
  @ApiProperty({ type: [AttachmentView] }) attachments: AttachmentView[];
  @ApiProperty() createdAt: string;
}
