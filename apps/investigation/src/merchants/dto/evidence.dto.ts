import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AttachmentDto, MAX_ATTACHMENTS, PageQuery } from '@recourse/platform';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsOptional, IsString, Length, ValidateNested } from 'class-validator';

export class EvidenceDto {
  @ApiProperty() @IsString() @Length(1, 5000) body: string;
  @ApiPropertyOptional({ type: [AttachmentDto], maxItems: 5 })
  @IsOptional() @IsArray() @ArrayMaxSize(MAX_ATTACHMENTS) @ValidateNested({ each: true }) @Type(() => AttachmentDto)
  attachments?: AttachmentDto[];
}

export class MerchantDisputesQuery extends PageQuery {}
