import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';

export class WithdrawDisputeDto {
  @ApiPropertyOptional({ maxLength: 2000 }) @IsOptional() @IsString() @Length(1, 2000) reason?: string;
}

export class AppealDisputeDto {
  @ApiProperty({ minLength: 1, maxLength: 2000 }) @IsString() @Length(1, 2000) reason: string;
}
