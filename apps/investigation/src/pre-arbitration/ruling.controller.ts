import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems, CurrentPrincipal, Principal, Roles } from '@recourse/platform';
import { CaseErrors } from '../cases/cases.errors';
import { CaseView } from '../cases/dto/case.view';
import { RulingDto } from './dto/appeal.dto';
import { PreArbitrationService } from './pre-arbitration.service';

@ApiTags('cases')
@ApiBearerAuth()
@Controller('v1/cases/:id/ruling')
export class RulingController {
  constructor(private readonly preArbitration: PreArbitrationService) {}

  /** A supervisor who did not make the decision rules on the merchant's appeal (CONTRACT §10). */
  @Post()
  @HttpCode(200)
  @Roles('supervisor')
  @ApiOkResponse({ type: CaseView, description: 'the case, ruled; its status and outcome are unchanged' })
  @ApiProblems(CaseErrors.NotFound, CaseErrors.InvalidTransition, CaseErrors.FourEyesRequired)
  rule(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() body: RulingDto) {
    return this.preArbitration.rule({ type: 'supervisor', id: principal.sub }, id, body);
  }
}
