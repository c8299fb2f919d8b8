import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiIdempotencyKey, ApiProblems, AttachmentErrors, CurrentMerchant, Roles } from '@recourse/platform';
import { CaseErrors } from '../cases/cases.errors';
import { EvidenceDto, MerchantDisputesQuery } from './dto/evidence.dto';
import { EvidenceView, MerchantDisputeDetailView, MerchantDisputePage } from './dto/merchant-dispute.view';
import { MerchantDisputesService } from './merchant-disputes.service';

@ApiTags('merchants')
@ApiBearerAuth()
@Roles('merchant')
@Controller('v1/merchant/disputes')
export class MerchantDisputesController {
  constructor(private readonly disputes: MerchantDisputesService) {}

  @Get()
  @ApiOkResponse({ type: MerchantDisputePage })
  list(@CurrentMerchant() merchantId: string, @Query() query: MerchantDisputesQuery) {
    return this.disputes.list(merchantId, query);
  }

  @Get(':id')
  @ApiOkResponse({ type: MerchantDisputeDetailView })
  @ApiProblems(CaseErrors.NotFound)
  get(@CurrentMerchant() merchantId: string, @Param('id') id: string) {
    return this.disputes.get(merchantId, id);
  }

  @Post(':id/evidence')
  @HttpCode(201)
  @ApiIdempotencyKey()
  @ApiCreatedResponse({ type: EvidenceView })
  @ApiProblems(CaseErrors.NotFound, CaseErrors.InvalidTransition, AttachmentErrors.PayloadTooLarge, AttachmentErrors.UnsupportedMediaType)
  evidence(@CurrentMerchant() merchantId: string, @Param('id') id: string, @Body() body: EvidenceDto) {
    return this.disputes.submitEvidence(merchantId, id, body);
  }

  @Post(':id/accept')
  @HttpCode(200)
  @ApiOkResponse({ type: MerchantDisputeDetailView, description: 'the dispute, approved in full' })
  @ApiProblems(CaseErrors.NotFound, CaseErrors.InvalidTransition)
  accept(@CurrentMerchant() merchantId: string, @Param('id') id: string) {
    return this.disputes.accept(merchantId, id);
  }
}
