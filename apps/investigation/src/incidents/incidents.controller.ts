import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems, CurrentPrincipal, Principal, Roles } from '@recourse/platform';
import { staffActor } from '../cases/actors.rules';
import { IncidentPage, IncidentView } from './dto/incident.view';
import { ListIncidentsQuery } from './dto/list-incidents.query';
import { ResolveIncidentDto } from './dto/resolve-incident.dto';
import { IncidentResolutionService } from './incident-resolution.service';
import { IncidentErrors } from './incidents.errors';
import { IncidentsService } from './incidents.service';

@ApiTags('incidents')
@ApiBearerAuth()
@Controller('v1/incidents')
export class IncidentsController {
  constructor(
    private readonly incidents: IncidentsService,
    private readonly resolution: IncidentResolutionService,
  ) {}

  @Get()
  @Roles('investigator', 'supervisor')
  @ApiOkResponse({ type: IncidentPage })
  list(@Query() query: ListIncidentsQuery) {
    return this.incidents.list(query);
  }

  @Get(':id')
  @Roles('investigator', 'supervisor')
  @ApiOkResponse({ type: IncidentView })
  @ApiProblems(IncidentErrors.NotFound)
  get(@Param('id') id: string) {
    return this.incidents.get(id);
  }

  /**
   * Decides every undecided case of the incident; answers once none is left (approvals above
   * FOUR_EYES_THRESHOLD wait for a second supervisor). The same body again answers the same; another body 409.
   */
  @Post(':id/resolve')
  @HttpCode(200)
  @Roles('supervisor')
  @ApiOkResponse({ type: IncidentView })
  @ApiProblems(IncidentErrors.NotFound, IncidentErrors.AlreadyResolved)
  async resolve(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() body: ResolveIncidentDto) {
    await this.resolution.request(id, body, staffActor(principal));
    await this.resolution.complete(id);
    return this.incidents.get(id);
  }
}
