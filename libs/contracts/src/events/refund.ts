import { IsIn, IsInt, IsNotEmpty, IsString, Matches, Min } from 'class-validator';
import { LIABILITIES, Liability, REFUND_KINDS, RefundKind } from '../enums';
import { CURRENCY_PATTERN } from '../money';

/** `refund.succeeded`: money booked. `refundedTotal` is what the dispute has been refunded in all. */
export class RefundSucceededData {
  @IsString() @IsNotEmpty() refundId: string;
  @IsIn(REFUND_KINDS) kind: RefundKind;
  @IsInt() @Min(1) amount: number;
  @Matches(CURRENCY_PATTERN) currency: string;
  @IsIn(LIABILITIES) liability: Liability;
  @IsString() @IsNotEmpty() customerId: string;
  @IsString() @IsNotEmpty() merchantId: string;
  @IsInt() @Min(0) refundedTotal: number;
  @IsInt() @Min(1) disputedAmount: number;
  @IsIn(['refunded', 'partially_refunded']) outcome: 'refunded' | 'partially_refunded';
}

export interface RefundFailedData {
  refundId: string;
  code: string;
  detail: string;
  amount: number;
  currency: string;
}

export type RefundEventDetails = Record<string, unknown>;

export interface RefundEventData {
  'refund.succeeded': RefundSucceededData;
  'refund.failed': RefundFailedData;
  'provisional_credit.issued': RefundEventDetails;
  'provisional_credit.reversed': RefundEventDetails;
}
