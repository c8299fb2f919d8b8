import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { ApiIdempotencyKey, ApiProblems, CommonErrors, CurrentPrincipal, Principal, Roles } from '@recourse/platform';
import { DisputeErrors } from '../disputes/disputes.errors';
import { FeedbackView, GiveFeedbackDto } from './dto/feedback.dto';
import { FeedbackErrors } from './feedback.errors';
import { FeedbackService } from './feedback.service';

@ApiTags('disputes')
@ApiBearerAuth()
@Roles('customer', 'agent')
@Controller('v1/disputes/:id/feedback')
export class FeedbackController {
  constructor(private readonly feedback: FeedbackService) {}

  /** Once, after a final status: before it `409 invalid_transition`, again `409 feedback_already_given`. */
  @Post()
  @HttpCode(201)
  @ApiCreatedResponse({ type: FeedbackView })
  @ApiIdempotencyKey()
  @ApiProblems(DisputeErrors.NotFound, DisputeErrors.InvalidTransition, FeedbackErrors.AlreadyGiven, CommonErrors.RateLimited)
  give(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() body: GiveFeedbackDto) {
    return this.feedback.give(principal, id, body);
  }
}
