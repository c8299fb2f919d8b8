import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsNotEmpty, IsOptional, IsString, Length, MaxLength } from 'class-validator';

export class AssignDto {
  @ApiPropertyOptional({ description: 'without one, the caller claims the case' }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(128) assignee?: string;
}

export class NoteDto {
  @ApiProperty() @IsString() @Length(1, 5000) body: string;
  @ApiProperty({ enum: ['note', 'call'], description: 'a call note records a phone conversation' }) @IsIn(['note', 'call']) kind: 'note' | 'call';
  @ApiPropertyOptional({ description: "shared notes appear in the customer's timeline" }) @IsOptional() @IsBoolean() shareWithCustomer?: boolean;
}

export class RequestDto {
  @ApiProperty() @IsString() @Length(1, 2000) message: string;
}
