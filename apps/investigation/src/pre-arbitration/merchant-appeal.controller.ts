import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems, AttachmentErrors, CurrentMerchant, Roles } from '@recourse/platform';
import { CaseErrors } from '../cases/cases.errors';
import { MerchantDisputeView } from '../merchants/dto/merchant-dispute.view';
import { MerchantAppealDto } from './dto/appeal.dto';
import { PreArbitrationService } from './pre-arbitration.service';

@ApiTags('merchants')
@ApiBearerAuth()
@Roles('merchant')
@Controller('v1/merchant/disputes/:id/appeal')
export class MerchantAppealController {
  constructor(private readonly preArbitration: PreArbitrationService) {}

  /** Pre-arbitration (CONTRACT §10): contests an approval a person decided at the merchant's cost. */
  @Post()
  @HttpCode(200)
  @ApiOkResponse({ type: MerchantDisputeView, description: 'the dispute, in pre-arbitration' })
  @ApiProblems(CaseErrors.NotFound, CaseErrors.InvalidTransition, AttachmentErrors.PayloadTooLarge, AttachmentErrors.UnsupportedMediaType)
  appeal(@CurrentMerchant() merchantId: string, @Param('id') id: string, @Body() body: MerchantAppealDto) {
    return this.preArbitration.appeal(merchantId, id, body);
  }
}
