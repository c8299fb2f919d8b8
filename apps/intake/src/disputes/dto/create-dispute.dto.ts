import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  DISPUTE_REASONS, DisputeReason, IDENTITY_CHECK_METHODS, IdentityCheckMethod, LOCALES, Locale,
} from '@recourse/contracts';
import { AttachmentDto, MAX_ATTACHMENTS } from '@recourse/platform';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, Equals, IsArray, IsEmail, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Length, Matches,
  MaxLength, Min, ValidateNested,
} from 'class-validator';


export class IdentityCheckDto {
  @ApiProperty({ enum: IDENTITY_CHECK_METHODS }) @IsIn(IDENTITY_CHECK_METHODS) method: IdentityCheckMethod;
  /** An agent files only for a caller whose identity was checked. */
  @ApiProperty({ enum: [true] }) @Equals(true, { message: 'identityCheck.passed must be true' }) passed: true;
}

export class ContactDto {
  @ApiPropertyOptional() @IsOptional() @Matches(/^\+?[0-9 ()-]{5,20}$/, { message: 'phone must be a phone number' }) phone?: string;
  @ApiPropertyOptional() @IsOptional() @IsEmail() @MaxLength(254) email?: string;
}

export class CreateDisputeDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(128) paymentId: string;
  @ApiProperty({ enum: DISPUTE_REASONS }) @IsIn(DISPUTE_REASONS) reason: DisputeReason;
  @ApiProperty({ minLength: 1, maxLength: 2000 }) @IsString() @Length(1, 2000) description: string;
  @ApiPropertyOptional({ description: "minor units; defaults to the payment's amount" }) @IsOptional() @IsInt() @Min(1) amount?: number;
  @ApiPropertyOptional({ enum: LOCALES }) @IsOptional() @IsIn(LOCALES) locale?: Locale;
  @ApiPropertyOptional({ type: ContactDto }) @IsOptional() @ValidateNested() @Type(() => ContactDto) contact?: ContactDto;
  @ApiPropertyOptional({ type: [AttachmentDto], maxItems: 5 })
  @IsOptional() @IsArray() @ArrayMaxSize(MAX_ATTACHMENTS) @ValidateNested({ each: true }) @Type(() => AttachmentDto)
  attachments?: AttachmentDto[];
  @ApiPropertyOptional({ description: 'agents: the caller they file for' }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(128) customerId?: string;
  @ApiPropertyOptional({ type: IdentityCheckDto, description: 'agents: how the caller was identified' })
  @IsOptional() @ValidateNested() @Type(() => IdentityCheckDto)
  identityCheck?: IdentityCheckDto;
}
