import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems, CurrentPrincipal, Principal, Roles } from '@recourse/platform';
import { ListRefundsQuery } from './dto/list-refunds.query';
import { RefundDetailView, RefundPage } from './dto/refund.view';
import { RefundErrors } from './refunds.errors';
import { RefundsService } from './refunds.service';

@ApiTags('refunds')
@ApiBearerAuth()
@Roles('investigator', 'supervisor', 'admin')
@Controller('v1/refunds')
export class RefundsController {
  constructor(private readonly refunds: RefundsService) {}

  @Get()
  @ApiOkResponse({ type: RefundPage })
  list(@Query() query: ListRefundsQuery) {
    return this.refunds.list(query);
  }

  @Get(':id')
  @ApiOkResponse({ type: RefundDetailView })
  @ApiProblems(RefundErrors.NotFound)
  get(@Param('id') id: string) {
    return this.refunds.get(id);
  }

  @Post(':id/retry')
  @HttpCode(200)
  @Roles('admin')
  @ApiOkResponse({ type: RefundDetailView, description: 'a failed refund or provisional credit, booked now' })
  @ApiProblems(RefundErrors.NotFound, RefundErrors.InvalidTransition)
  retry(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    return this.refunds.retry(principal, id);
  }
}
