import { ApiProperty } from '@nestjs/swagger';
import { OFFER_KINDS, OFFER_STATUSES, OfferKind, OfferStatus } from '@recourse/contracts';

/** A merchant's offer (CONTRACT §10). */
export class OfferView {
  @ApiProperty() id: string;
  @ApiProperty() disputeId: string;
  @ApiProperty({ enum: OFFER_KINDS }) kind: OfferKind;
  @ApiProperty({ type: Number, nullable: true, description: 'minor units: the disputed amount for full_refund, the offered part for partial_refund, null for replacement and return_for_refund' })
  amount: number | null;
  @ApiProperty() currency: string;
  @ApiProperty() message: string;
  @ApiProperty({ enum: OFFER_STATUSES }) status: OfferStatus;
  @ApiProperty({ description: 'SLA_OFFER_RESPONSE after it was made; unanswered by then, it expires' }) expiresAt: string;
  @ApiProperty() createdAt: string;
}
