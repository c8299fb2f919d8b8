import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Min, ValidateNested } from 'class-validator';
import { LIABILITIES, Liability, LOCALES, Locale, REFUND_KINDS, RefundKind } from '../enums';
import { CURRENCY_PATTERN } from '../money';
import { LiabilitySplitData } from './investigation';

/** `refund.succeeded`: money booked. `refundedTotal` is what the dispute has been refunded in all. */
export class RefundSucceededData {
  @IsString() @IsNotEmpty() refundId: string;
  @IsIn(REFUND_KINDS) kind: RefundKind;
  @IsInt() @Min(1) amount: number;
  @Matches(CURRENCY_PATTERN) currency: string;
  /** With a split, the party bearing the larger leg (as on `case.decided`), so older consumers stay valid. */
  @IsIn(LIABILITIES) liability: Liability;
  /** Additive: the legs of a shared refund. */
  @IsOptional() @ValidateNested() @Type(() => LiabilitySplitData) liabilitySplit?: LiabilitySplitData;
  @IsString() @IsNotEmpty() customerId: string;
  @IsString() @IsNotEmpty() merchantId: string;
  @IsString() @IsNotEmpty() paymentId: string;
  /** The dispute's locale, carried from the decision: topics are not ordered against each other. */
  @IsIn(LOCALES) locale: Locale;
  @IsInt() @Min(0) refundedTotal: number;
  @IsInt() @Min(1) disputedAmount: number;
  @IsIn(['refunded', 'partially_refunded']) outcome: 'refunded' | 'partially_refunded';
  /** The merchant's own resolution rule decided the refund (CONTRACT §10 prevention); absent otherwise. */
  @IsOptional() @IsBoolean() prevented?: boolean;
}

/** `refund.failed`: the money could not be booked; nothing was half-booked, an admin may retry. */
export class RefundFailedData {
  @IsString() @IsNotEmpty() refundId: string;
  @IsIn(REFUND_KINDS) kind: RefundKind;
  @IsString() @IsNotEmpty() customerId: string;
  @IsString() @IsNotEmpty() merchantId: string;
  @IsIn(LOCALES) locale: Locale;
  @IsString() @IsNotEmpty() code: string;
  @IsString() detail: string;
  @IsInt() @Min(0) amount: number;
  @Matches(CURRENCY_PATTERN) currency: string;
}

export type RefundEventDetails = Record<string, unknown>;

/** `provisional_credit.issued` / `.reversed`: the customer credited (or debited back) while a case is open. */
export class ProvisionalCreditData {
  @IsString() @IsNotEmpty() refundId: string;
  @IsInt() @Min(1) amount: number;
  @Matches(CURRENCY_PATTERN) currency: string;
  @IsString() @IsNotEmpty() customerId: string;
  @IsString() @IsNotEmpty() merchantId: string;
  @IsString() @IsNotEmpty() paymentId: string;
  @IsIn(LOCALES) locale: Locale;
}

/**
 * `refund.liability_reversed` (extension, CONTRACT §10): a ruling reversed the merchant's liability; the platform
 * paid the merchant back what it had been debited for the refund (`amount`, its leg of a split).
 */
export class RefundLiabilityReversedData {
  @IsString() @IsNotEmpty() refundId: string;
  @IsInt() @Min(1) amount: number;
  @Matches(CURRENCY_PATTERN) currency: string;
  @IsString() @IsNotEmpty() customerId: string;
  @IsString() @IsNotEmpty() merchantId: string;
  @IsString() @IsNotEmpty() paymentId: string;
  @IsIn(LOCALES) locale: Locale;
}

export interface RefundEventData {
  'refund.succeeded': RefundSucceededData;
  'refund.failed': RefundFailedData;
  'provisional_credit.issued': ProvisionalCreditData;
  'provisional_credit.reversed': ProvisionalCreditData;
  'refund.liability_reversed': RefundLiabilityReversedData;
}
