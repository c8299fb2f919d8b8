import { Controller, Get, Param, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiProblems, Roles } from '@recourse/platform';
import { AuditService } from '../audit/audit.service';
import { CaseErrors } from './cases.errors';
import { CasesService } from './cases.service';
import { AuditTrailView, BrokenChainView, CasePage, CaseView, CHAIN_VERDICT, ValidChainView } from './dto/case.view';
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
  @ApiOkResponse({ type: CasePage })
  queue(@Query() query: ListCasesQuery) {
    return this.cases.queue(query);
  }

  @Get(':id')
  @ApiOkResponse({ type: CaseView })
  @ApiProblems(CaseErrors.NotFound)
  get(@Param('id') id: string) {
    return this.cases.get(id);
  }

  @Get(':id/audit')
  @ApiOkResponse({ type: AuditTrailView })
  @ApiProblems(CaseErrors.NotFound)
  async trail(@Param('id') id: string) {
    await this.cases.exists(id);
    return { data: await this.audit.trail(id) };
  }

  /** The bytes of an attachment, for the console's preview; the type was checked against the bytes on upload. */
  @Get(':id/attachments/:sha256')
  @ApiProduces('image/png', 'image/jpeg', 'application/pdf')
  @ApiOkResponse({ description: 'the attachment as it was uploaded', schema: { type: 'string', format: 'binary' } })
  @ApiProblems(CaseErrors.NotFound)
  async attachment(@Param('id') id: string, @Param('sha256') sha256: string) {
    const file = await this.cases.attachment(id, sha256);
    return new StreamableFile(file.content, {
      type: file.contentType,
      disposition: `inline; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
      length: file.content.length,
    });
  }

  @Get(':id/audit/verify')
  @ApiExtraModels(ValidChainView, BrokenChainView)
  @ApiOkResponse({ schema: CHAIN_VERDICT })
  @ApiProblems(CaseErrors.NotFound)
  async verify(@Param('id') id: string) {
    await this.cases.exists(id);
    return this.audit.verify(id);
  }
}
