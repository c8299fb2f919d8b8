import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems, CurrentMerchant, PageQuery, ResponseSecretOf, Roles } from '@recourse/platform';
import { endpointSecretReplay } from './endpoint-secret-replay.mapper';
import { CreateEndpointDto } from './dto/create-endpoint.dto';
import { EndpointPage, EndpointWithSecretView } from './dto/endpoint.view';
import { EndpointErrors } from './endpoints.errors';
import { EndpointsService } from './endpoints.service';

@ApiTags('webhook endpoints')
@ApiBearerAuth()
@Roles('merchant')
@Controller('v1/webhook-endpoints')
export class EndpointsController {
  constructor(private readonly endpoints: EndpointsService) {}

  @Post()
  @HttpCode(201)
  @ApiCreatedResponse({ type: EndpointWithSecretView })
  @ResponseSecretOf(endpointSecretReplay)
  create(@CurrentMerchant() merchantId: string, @Body() body: CreateEndpointDto) {
    return this.endpoints.create(merchantId, body);
  }

  @Get()
  @ApiOkResponse({ type: EndpointPage })
  list(@CurrentMerchant() merchantId: string, @Query() query: PageQuery) {
    return this.endpoints.list(merchantId, query);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiProblems(EndpointErrors.NotFound)
  remove(@CurrentMerchant() merchantId: string, @Param('id') id: string) {
    return this.endpoints.remove(merchantId, id);
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  @ApiOkResponse({ type: EndpointWithSecretView })
  @ApiProblems(EndpointErrors.NotFound)
  @ResponseSecretOf(endpointSecretReplay)
  rotateSecret(@CurrentMerchant() merchantId: string, @Param('id') id: string) {
    return this.endpoints.rotateSecret(merchantId, id);
  }
}
