import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { OFFER_KINDS, OfferKind } from '@recourse/contracts';
import { IsIn, IsInt, IsOptional, IsString, Length, Min } from 'class-validator';

export class MakeOfferDto {
  @ApiProperty({ enum: OFFER_KINDS }) @IsIn(OFFER_KINDS) kind: OfferKind;
  @ApiPropertyOptional({ minimum: 1, description: 'minor units; partial_refund only, less than the disputed amount (given for another kind: 400)' })
  @IsOptional() @IsInt() @Min(1) amount?: number;
  @ApiProperty({ minLength: 1, maxLength: 2000, description: 'shown to the customer with the offer' }) @IsString() @Length(1, 2000) message: string;
}
