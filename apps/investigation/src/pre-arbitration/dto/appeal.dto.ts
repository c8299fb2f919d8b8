import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { RULING_OUTCOMES, RulingOutcome } from '@recourse/domain';
import { AttachmentDto, MAX_ATTACHMENTS } from '@recourse/platform';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, Length, ValidateNested } from 'class-validator';

/** The merchant's appeal of an approval it bears; its files are checked as merchant evidence is. */
export class MerchantAppealDto {
  @ApiProperty({ description: 'why the merchant contests the approval' }) @IsString() @Length(1, 5000) reason: string;
  @ApiPropertyOptional({ type: [AttachmentDto], maxItems: 5 })
  @IsOptional() @IsArray() @ArrayMaxSize(MAX_ATTACHMENTS) @ValidateNested({ each: true }) @Type(() => AttachmentDto)
  attachments?: AttachmentDto[];
}

export class RulingDto {
  @ApiProperty({ enum: RULING_OUTCOMES, description: '`reverse` moves the cost from the merchant to the platform; the customer keeps the money either way' })
  @IsIn(RULING_OUTCOMES) outcome: RulingOutcome;
  @ApiProperty() @IsString() @Length(1, 2000) explanation: string;
}
