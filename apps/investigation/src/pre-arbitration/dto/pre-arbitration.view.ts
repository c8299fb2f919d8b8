import { ApiProperty } from '@nestjs/swagger';
import { RULING_OUTCOMES, RulingOutcome } from '@recourse/domain';
import { AttachmentView } from '@recourse/platform';
import { ActorView } from '../../cases/dto/case.view';

/** The merchant's appeal of an approval it bore (CONTRACT §10 pre-arbitration). */
export class MerchantAppealView {
  @ApiProperty() reason: string;
  @ApiProperty({ type: [AttachmentView] }) attachments: AttachmentView[];
  @ApiProperty() appealedAt: string;
  @ApiProperty({ description: 'what the merchant paid of the approval, minor units' }) merchantAmount: number;
}

/** A supervisor's ruling on the merchant's appeal. */
export class RulingView {
  @ApiProperty({ enum: RULING_OUTCOMES }) outcome: RulingOutcome;
  @ApiProperty() explanation: string;
  @ApiProperty({ type: () => ActorView }) ruledBy: ActorView;
  @ApiProperty() ruledAt: string;
}
