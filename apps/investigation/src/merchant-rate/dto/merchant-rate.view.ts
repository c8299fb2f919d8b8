import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MERCHANT_RATE_STATUSES, MerchantRateStatus } from '@recourse/contracts';
import { PageQuery } from '@recourse/platform';
import { IsOptional, IsString, MaxLength } from 'class-validator';

export class MerchantRatesQuery extends PageQuery {
  @ApiPropertyOptional({ default: 'P30D', description: 'ISO 8601 duration up to P366D, rounded up to whole UTC hours' })
  @IsOptional() @IsString() @MaxLength(40) window?: string;
}

export class MerchantRateRowView {
  @ApiProperty() merchantId: string;
  @ApiProperty({ description: 'payments created in the window' }) payments: number;
  @ApiProperty({ description: 'disputes filed in the window, prevented ones excluded' }) disputes: number;
  @ApiProperty({ description: "disputes filed in the window that the merchant's resolution rule refunded at triage" }) prevented: number;
  @ApiProperty({ description: 'disputes / payments (disputes when no payment is in the window)' }) rate: number;
  @ApiProperty({ enum: MERCHANT_RATE_STATUSES }) status: MerchantRateStatus;
}

export class MerchantRatePage {
  @ApiProperty({ example: 'P30D' }) window: string;
  @ApiProperty({ type: [MerchantRateRowView] }) data: MerchantRateRowView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class OwnMerchantRateView extends MerchantRateRowView {
  @ApiProperty({ example: 'P30D', description: 'MERCHANT_RATE_WINDOW' }) window: string;
}
