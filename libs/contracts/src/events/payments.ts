import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsISO8601, IsNotEmpty, IsOptional, IsString, Matches, MaxLength, Min, ValidateNested } from 'class-validator';
import { FAILURE_REASONS, FailureReason, PAYMENT_STATUSES, PaymentStatus } from '../enums';
import { CURRENCY_PATTERN } from '../money';

/** The device a payment was made from (CONTRACT §12), as the wallet core saw it. */
export class PaymentDeviceData {
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(128) id?: string;
  /** Kept as given (IPv4 or IPv6 text): a malformed address must not stop the payment stream. */
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(64) ip?: string;
}

/** `payment.recorded` on `wallet.payments.v1`, written by the wallet core (CONTRACT §8). */
export class PaymentRecordedData {
  @IsString() @IsNotEmpty() @MaxLength(128) paymentId: string;
  @IsString() @IsNotEmpty() @MaxLength(128) customerId: string;
  @IsString() @IsNotEmpty() @MaxLength(128) merchantId: string;
  @IsOptional() @IsString() @MaxLength(200) merchantName?: string;
  @Type(() => Number) @IsInt() @Min(1) amount: number;
  @Matches(CURRENCY_PATTERN) currency: string;
  @IsIn(PAYMENT_STATUSES) status: PaymentStatus;
  @IsBoolean() debited: boolean;
  @IsOptional() @IsIn(FAILURE_REASONS) failureReason?: FailureReason;
  @IsISO8601() createdAt: string;
  @IsOptional() @IsString() @MaxLength(500) description?: string;
  /**
   * Where the payment was made (CONTRACT §11): `US`, `EU` or `CN` choose a regulatory regime. Any other
   * value is kept and follows the platform's own clocks, so a new market never stops the payment stream.
   */
  @IsOptional() @IsString() @MaxLength(16) jurisdiction?: string;
  /** Optional (CONTRACT §12): what links cases made from one phone or one network. */
  @IsOptional() @ValidateNested() @Type(() => PaymentDeviceData) device?: PaymentDeviceData;
}

export interface PaymentEventData {
  'payment.recorded': PaymentRecordedData;
}
