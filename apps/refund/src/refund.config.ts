import { BaseConfig } from '@recourse/platform';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';

export class RefundConfig extends BaseConfig {
  @Type(() => Number) @IsInt() @Min(1) @Max(65535)
  REFUND_PORT = 3003;
}
