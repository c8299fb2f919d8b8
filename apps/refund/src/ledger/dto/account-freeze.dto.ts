import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

export class FreezeAccountBody {
  @ApiPropertyOptional({ example: 'frozen by the wallet core: suspected account takeover' })
  @IsOptional() @IsString() @MaxLength(500)
  reason?: string;
}

export class AccountFreezeView {
  @ApiProperty({ example: 'customer:c-1' }) account: string;
  @ApiProperty() frozen: boolean;
  @ApiProperty({ nullable: true, type: String, description: 'the admin who froze it' }) frozenBy: string | null;
  @ApiProperty({ nullable: true, type: String }) reason: string | null;
  @ApiProperty({ nullable: true, type: String }) frozenAt: string | null;
}
