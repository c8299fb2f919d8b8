import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiIdempotencyKey, ApiProblems, CurrentPrincipal, Principal, Roles } from '@recourse/platform';
import { noteAuthor, staffActor } from '../cases/actors.rules';
import { CaseErrors } from '../cases/cases.errors';
import { CaseView, NoteCreatedView } from '../cases/dto/case.view';
import { CaseworkService } from './casework.service';
import { AssignDto, NoteDto, RequestDto } from './dto/casework.dto';

@ApiTags('cases')
@ApiBearerAuth()
@Roles('investigator', 'supervisor')
@Controller('v1/cases/:id')
export class CaseworkController {
  constructor(private readonly casework: CaseworkService) {}

  @Post('assign')
  @HttpCode(200)
  @ApiOkResponse({ type: CaseView })
  @ApiProblems(CaseErrors.NotFound)
  assign(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() body: AssignDto) {
    return this.casework.assign(id, staffActor(principal), body.assignee ?? principal.sub);
  }

  /** Phone agents too: the record of a call they took, for the case and (shared) the customer's timeline. */
  @Post('notes')
  @Roles('investigator', 'supervisor', 'agent')
  @HttpCode(201)
  @ApiIdempotencyKey()
  @ApiCreatedResponse({ type: NoteCreatedView })
  @ApiProblems(CaseErrors.NotFound)
  addNote(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() body: NoteDto) {
    return this.casework.addNote(id, noteAuthor(principal, body.kind), body);
  }

  @Post('request-merchant-evidence')
  @HttpCode(200)
  @ApiOkResponse({ type: CaseView })
  @ApiProblems(CaseErrors.NotFound, CaseErrors.InvalidTransition)
  requestMerchantEvidence(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() body: RequestDto) {
    return this.casework.requestMerchantEvidence(id, staffActor(principal), body.message);
  }

  @Post('request-customer-info')
  @HttpCode(200)
  @ApiOkResponse({ type: CaseView })
  @ApiProblems(CaseErrors.NotFound, CaseErrors.InvalidTransition)
  requestCustomerInfo(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() body: RequestDto) {
    return this.casework.requestCustomerInfo(id, staffActor(principal), body.message);
  }
}
