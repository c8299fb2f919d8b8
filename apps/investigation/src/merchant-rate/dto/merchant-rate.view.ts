import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MERCHANT_RATE_STATUSES, MerchantRateStatus } from '@recourse/contracts';
import { PageQuery } from '@recourse/platform';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';

export class MerchantRatesQuery extends PageQuery {
  @ApiPropertyOptional({ default: 'P30D', description: 'ISO 8601 duration up to P366D, rounded up to whole UTC hours' })
  @IsOptional() @IsString() @MaxLength(40) window?: string;

  @ApiPropertyOptional({ enum: ['json', 'csv'], default: 'json', description: 'csv: every merchant of the window in one file; limit and cursor do not apply' })
  @IsOptional() @IsIn(['json', 'csv']) format?: 'json' | 'csv';
}

export class MerchantRateRowView {
  @ApiProperty() merchantId: string;
  @ApiProperty({ description: 'payments created in the window' }) payments: number;
  @ApiProperty({ description: 'disputes filed in the window, prevented ones excluded' }) disputes: number;
  @ApiProperty({ description: "disputes filed in the window that the merchant's resolution rule refunded at triage" }) prevented: number;
  @ApiProperty({ description: 'disputes / payments (disputes when no payment is in the window)' }) rate: number;
  @ApiProperty({ enum: MERCHANT_RATE_STATUSES }) status: MerchantRateStatus;
}

/** The thresholds in force: the statuses shown are computed with these (CONTRACT §11). */
export class MerchantRateThresholdsView {
  @ApiProperty({ example: 0.009, description: '`watch` from this rate (MERCHANT_RATE_WATCH)' }) watch: number;
  @ApiProperty({ example: 0.015, description: '`excessive` from this rate (MERCHANT_RATE_EXCESSIVE)' }) excessive: number;
  @ApiProperty({ example: 100, description: 'below this many disputes in the window a merchant is `ok` whatever its rate (MERCHANT_RATE_MIN_DISPUTES)' })
  minDisputes: number;
}

export class MerchantRatePage {
  @ApiProperty({ example: 'P30D' }) window: string;
  @ApiProperty({ type: MerchantRateThresholdsView, description: 'extension: the thresholds the statuses were computed with' }) thresholds: MerchantRateThresholdsView;
  @ApiProperty({ type: [MerchantRateRowView] }) data: MerchantRateRowView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class OwnMerchantRateView extends MerchantRateRowView {
  @ApiProperty({ example: 'P30D', description: 'MERCHANT_RATE_WINDOW' }) window: string;
}

/** The CSV's columns, in order: a row's fields as the JSON names them; the rate a ratio, as in the JSON. */
export const MERCHANT_RATE_CSV_COLUMNS = ['merchantId', 'payments', 'disputes', 'prevented', 'rate', 'status'] as const satisfies readonly (keyof MerchantRateRowView)[];
