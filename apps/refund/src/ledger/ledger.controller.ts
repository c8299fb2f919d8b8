import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '@recourse/platform';
import { AccountParams, AccountQuery } from './dto/account.params';
import { AccountView, LedgerVerificationView } from './dto/ledger.view';
import { LedgerService } from './ledger.service';

@ApiTags('ledger')
@ApiBearerAuth()
@Roles('investigator', 'supervisor', 'admin')
@Controller('v1/ledger')
export class LedgerController {
  constructor(private readonly ledger: LedgerService) {}

  @Get('accounts/:account')
  @ApiOkResponse({ type: AccountView })
  account(@Param() params: AccountParams, @Query() query: AccountQuery) {
    return this.ledger.account(params.account, query);
  }

  @Get('verify')
  @Roles('admin')
  @ApiOkResponse({ type: LedgerVerificationView })
  verify() {
    return this.ledger.verify();
  }
}
