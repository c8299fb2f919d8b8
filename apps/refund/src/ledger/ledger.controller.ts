import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems, CurrentPrincipal, Principal, Roles } from '@recourse/platform';
import { AccountFreezeView, FreezeAccountBody } from './dto/account-freeze.dto';
import { AccountParams, AccountQuery } from './dto/account.dto';
import { AccountView, LedgerVerificationView } from './dto/ledger.view';
import { FrozenAccountsService } from './frozen-accounts.service';
import { LedgerErrors } from './ledger.errors';
import { LedgerService } from './ledger.service';

@ApiTags('ledger')
@ApiBearerAuth()
@Roles('investigator', 'supervisor', 'admin')
@Controller('v1/ledger')
export class LedgerController {
  constructor(
    private readonly ledger: LedgerService,
    private readonly frozen: FrozenAccountsService,
  ) {}

  @Get('accounts/:account')
  @ApiOkResponse({ type: AccountView })
  @ApiProblems(LedgerErrors.AccountNotFound)
  account(@Param() params: AccountParams, @Query() query: AccountQuery) {
    return this.ledger.account(params.account, query);
  }

  @Post('accounts/:account/freeze')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Extension: refunds and provisional credits to this account fail with account_frozen until it is unfrozen' })
  @ApiOkResponse({ type: AccountFreezeView })
  freeze(@CurrentPrincipal() principal: Principal, @Param() params: AccountParams, @Body() body: FreezeAccountBody) {
    return this.frozen.freeze(principal, params.account, body);
  }

  @Post('accounts/:account/unfreeze')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Extension: bookings to this account resume; failed ones are booked by POST /v1/refunds/{id}/retry' })
  @ApiOkResponse({ type: AccountFreezeView })
  unfreeze(@CurrentPrincipal() principal: Principal, @Param() params: AccountParams) {
    return this.frozen.unfreeze(principal, params.account);
  }

  @Get('verify')
  @Roles('admin')
  @ApiOkResponse({ type: LedgerVerificationView })
  verify() {
    return this.ledger.verify();
  }
}
