import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems, CurrentPrincipal, Principal, Roles } from '@recourse/platform';
import { DisputeErrors } from '../disputes/disputes.errors';
import { ThreadView } from './dto/thread.view';
import { ThreadService } from './thread.service';

@ApiTags('disputes')
@ApiBearerAuth()
@Roles('customer', 'agent')
@Controller('v1/disputes/:id/thread')
export class ThreadController {
  constructor(private readonly thread: ThreadService) {}

  @Get()
  @ApiOkResponse({ type: ThreadView })
  @ApiProblems(DisputeErrors.NotFound)
  read(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    return this.thread.read(principal, id);
  }
}
