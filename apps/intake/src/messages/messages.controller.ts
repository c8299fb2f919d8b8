import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { ApiIdempotencyKey, ApiProblems, AttachmentErrors, CommonErrors, CurrentPrincipal, Principal, Roles } from '@recourse/platform';
import { DisputeErrors } from '../disputes/disputes.errors';
import { AddMessageDto, MessageView } from './dto/add-message.dto';
import { MessagesService } from './messages.service';

@ApiTags('disputes')
@ApiBearerAuth()
@Roles('customer', 'agent')
@Controller('v1/disputes/:id/messages')
export class MessagesController {
  constructor(private readonly messages: MessagesService) {}

  @Post()
  @HttpCode(201)
  @ApiCreatedResponse({ type: MessageView })
  @ApiIdempotencyKey()
  @ApiProblems(DisputeErrors.NotFound, DisputeErrors.InvalidTransition, AttachmentErrors.PayloadTooLarge, AttachmentErrors.UnsupportedMediaType, CommonErrors.RateLimited)
  add(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() body: AddMessageDto) {
    return this.messages.add(principal, id, body);
  }
}
