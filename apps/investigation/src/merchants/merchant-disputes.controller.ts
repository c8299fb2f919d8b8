import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiIdempotencyKey, ApiProblems, AttachmentErrors, CommonErrors, CurrentPrincipal, Principal, ProblemException, Roles } from '@recourse/platform';
import { CaseErrors } from '../cases/cases.errors';
import { EvidenceDto, MerchantDisputesQuery } from './dto/evidence.dto';
import { EvidenceView, MerchantDisputePage, MerchantDisputeView } from './dto/merchant-dispute.view';
import { MerchantDisputesService } from './merchant-disputes.service';

/** A merchant token without a merchantId claim names no merchant: it may do nothing here. */
function merchantOf(principal: Principal): string {
  if (!principal.merchantId) throw new ProblemException(CommonErrors.Forbidden, 'the token carries no merchantId');
  return principal.merchantId;
}

@ApiTags('merchants')
@ApiBearerAuth()
@Roles('merchant')
@Controller('v1/merchant/disputes')
export class MerchantDisputesController {
  constructor(private readonly disputes: MerchantDisputesService) {}

  @Get()
  @ApiOkResponse({ type: MerchantDisputePage })
  list(@CurrentPrincipal() principal: Principal, @Query() query: MerchantDisputesQuery) {
    return this.disputes.list(merchantOf(principal), query);
  }

  @Get(':id')
  @ApiOkResponse({ type: MerchantDisputeView })
  @ApiProblems(CaseErrors.NotFound)
  get(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    return this.disputes.get(merchantOf(principal), id);
  }

  @Post(':id/evidence')
  @HttpCode(201)
  @ApiIdempotencyKey()
  @ApiCreatedResponse({ type: EvidenceView })
  @ApiProblems(CaseErrors.NotFound, CaseErrors.InvalidTransition, AttachmentErrors.PayloadTooLarge, AttachmentErrors.UnsupportedMediaType)
  evidence(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() body: EvidenceDto) {
    return this.disputes.submitEvidence(merchantOf(principal), id, body);
  }

  @Post(':id/accept')
  @HttpCode(200)
  @ApiOkResponse({ type: MerchantDisputeView, description: 'the dispute, approved in full' })
  @ApiProblems(CaseErrors.NotFound, CaseErrors.InvalidTransition)
  accept(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    return this.disputes.accept(merchantOf(principal), id);
  }
}
