import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { FAILURE_REASONS, FailureReason, PAYMENT_STATUSES, PaymentStatus } from '@recourse/contracts';

/** What the app shows so the customer can check a deduction and pick it. */
export class PaymentView {
  @ApiProperty() id: string;
  @ApiProperty() customerId: string;
  @ApiProperty() merchantId: string;
  @ApiProperty({ nullable: true, type: String }) merchantName: string | null;
  @ApiProperty({ description: 'minor units' }) amount: number;
  @ApiProperty({ example: 'CNY' }) currency: string;
  @ApiProperty({ enum: PAYMENT_STATUSES }) status: PaymentStatus;
  @ApiProperty() debited: boolean;
  @ApiProperty() createdAt: string;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'the open dispute on this payment' }) disputeId: string | null;
  @ApiPropertyOptional({ enum: FAILURE_REASONS }) failureReason?: FailureReason;
  @ApiPropertyOptional({ description: "why it failed and what to do, in the caller's locale" }) explanation?: string;
}

export class PaymentPage {
  @ApiProperty({ type: [PaymentView] }) data: PaymentView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}
