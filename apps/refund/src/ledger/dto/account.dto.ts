import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CURRENCY_PATTERN } from '@recourse/contracts';
import { PageQuery } from '@recourse/platform';
import { IsOptional, Matches } from 'class-validator';

/** The wallet accounts of CONTRACT §6. */
export const ACCOUNT_PATTERN = /^(customer:\S{1,128}|merchant:\S{1,128}|platform:disputes)$/;

export class AccountParams {
  @ApiProperty({ example: 'customer:c-1', description: 'customer:{id}, merchant:{id} or platform:disputes' })
  @Matches(ACCOUNT_PATTERN, { message: 'account must be customer:{id}, merchant:{id} or platform:disputes' })
  account: string;
}

export class AccountQuery extends PageQuery {
  /** Needed only for an account that holds several currencies: balances in different currencies never net. */
  @ApiPropertyOptional({ example: 'CNY' }) @IsOptional() @Matches(CURRENCY_PATTERN, { message: 'currency must be an ISO 4217 code' })
  currency?: string;
}
