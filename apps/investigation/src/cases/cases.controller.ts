import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '@recourse/platform';
import { AuditService } from '../audit/audit.service';
import { CasesService } from './cases.service';
import { ListCasesQuery } from './dto/list-cases.query';

@ApiTags('cases')
@ApiBearerAuth()
@Roles('investigator', 'supervisor')
@Controller('v1/cases')
export class CasesController {
  constructor(
    private readonly cases: CasesService,
    private readonly audit: AuditService,
  ) {}

  @Get()
  queue(@Query() query: ListCasesQuery) {
    return this.cases.queue(query);
  }

  @Get(':id')
  get(@Param('id') id: string) {
    return this.cases.get(id);
  }

  @Get(':id/audit')
  async trail(@Param('id') id: string) {
    await this.cases.exists(id);
    return { data: await this.audit.trail(id) };
  }

  @Get(':id/audit/verify')
  async verify(@Param('id') id: string) {
    await this.cases.exists(id);
    return this.audit.verify(id);
  }
}
