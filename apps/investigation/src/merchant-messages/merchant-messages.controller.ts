import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { ApiIdempotencyKey, ApiProblems, AttachmentErrors, CurrentMerchant, IdempotencyErrors, Roles } from '@recourse/platform';
import { CaseErrors } from '../cases/cases.errors';
import { MerchantMessageDto, MerchantMessageView } from './dto/merchant-message.dto';
import { MerchantMessagesService } from './merchant-messages.service';

@ApiTags('merchants')
@ApiBearerAuth()
@Roles('merchant')
@Controller('v1/merchant/disputes')
export class MerchantMessagesController {
  constructor(private readonly messages: MerchantMessagesService) {}

  @Post(':id/messages')
  @HttpCode(201)
  @ApiIdempotencyKey()
  @ApiCreatedResponse({ type: MerchantMessageView })
  @ApiProblems(CaseErrors.NotFound, CaseErrors.InvalidTransition, AttachmentErrors.PayloadTooLarge, AttachmentErrors.UnsupportedMediaType,
    IdempotencyErrors.KeyReused, IdempotencyErrors.KeyInFlight)
  add(@CurrentMerchant() merchantId: string, @Param('id') id: string, @Body() body: MerchantMessageDto) {
    return this.messages.add(merchantId, id, body);
  }
}
