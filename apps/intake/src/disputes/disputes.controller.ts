import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiIdempotencyKey, ApiProblems, AttachmentErrors, ClaimKeyWithRead, CommonErrors, CurrentPrincipal, IdempotencyErrors, Principal, Roles } from '@recourse/platform';
import { DisputeErrors } from './disputes.errors';
import { DisputeActionsService } from './dispute-actions.service';
import { DisputesService } from './disputes.service';
import { OfferAnswersService } from './offer-answers.service';
import { WithdrawalService } from './withdrawal.service';
import { AppealDisputeDto, WithdrawDisputeDto } from './dto/dispute-actions.dto';
import { CreateDisputeDto } from './dto/create-dispute.dto';
import { DisputePage, DisputeView } from './dto/dispute.view';
import { DisputeQuery, ListDisputesQuery } from './dto/list-disputes.query';

@ApiTags('disputes')
@ApiBearerAuth()
@Roles('customer', 'agent')
@Controller('v1/disputes')
export class DisputesController {
  constructor(
    private readonly disputes: DisputesService,
    private readonly actions: DisputeActionsService,
    private readonly withdrawals: WithdrawalService,
    private readonly offers: OfferAnswersService,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiCreatedResponse({ type: DisputeView })
  @ApiIdempotencyKey()
  @ClaimKeyWithRead()
  @ApiProblems(DisputeErrors.PaymentNotFound, DisputeErrors.PaymentTooOld, DisputeErrors.AmountExceedsPayment, DisputeErrors.AlreadyOpen,
    AttachmentErrors.PayloadTooLarge, AttachmentErrors.UnsupportedMediaType, CommonErrors.RateLimited, IdempotencyErrors.KeyReused, IdempotencyErrors.KeyInFlight)
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateDisputeDto) {
    return this.disputes.create(principal, body);
  }

  @Get()
  @ApiOkResponse({ type: DisputePage })
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListDisputesQuery) {
    return this.disputes.list(principal, query);
  }

  @Get(':id')
  @ApiOkResponse({ type: DisputeView })
  @ApiProblems(DisputeErrors.NotFound)
  get(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Query() query: DisputeQuery) {
    return this.disputes.get(principal, id, query.locale);
  }

  /** Before a decision; answers at once with `withdrawal.status: requested` until investigation confirms or refuses it. */
  @Post(':id/withdraw')
  @HttpCode(200)
  @ApiOkResponse({ type: DisputeView, description: 'the dispute with `withdrawal: { status: "requested", requestedAt }`; it reads `withdrawn` once investigation confirms' })
  @ApiProblems(DisputeErrors.NotFound, DisputeErrors.InvalidTransition, CommonErrors.RateLimited)
  withdraw(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() body: WithdrawDisputeDto) {
    return this.withdrawals.request(principal, id, body);
  }

  @Post(':id/appeal')
  @HttpCode(200)
  @ApiOkResponse({ type: DisputeView })
  @ApiProblems(DisputeErrors.NotFound, DisputeErrors.InvalidTransition, DisputeErrors.AlreadyOpen, CommonErrors.RateLimited)
  appeal(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() body: AppealDisputeDto) {
    return this.actions.appeal(principal, id, body);
  }

  /** Investigation settles the answer: an accepted refund offer approves the dispute, a replacement or return resolves it. */
  @Post(':id/offers/:offerId/accept')
  @HttpCode(200)
  @ApiOkResponse({ type: DisputeView, description: 'the dispute with the offer `accepted`; it moves on once investigation applies the answer' })
  @ApiProblems(DisputeErrors.NotFound, DisputeErrors.OfferNotOpen, CommonErrors.RateLimited)
  acceptOffer(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Param('offerId') offerId: string) {
    return this.offers.answer(principal, id, offerId, 'accepted');
  }

  /** The case stays open. */
  @Post(':id/offers/:offerId/decline')
  @HttpCode(200)
  @ApiOkResponse({ type: DisputeView, description: 'the dispute with the offer `declined`' })
  @ApiProblems(DisputeErrors.NotFound, DisputeErrors.OfferNotOpen, CommonErrors.RateLimited)
  declineOffer(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Param('offerId') offerId: string) {
    return this.offers.answer(principal, id, offerId, 'declined');
  }
}
