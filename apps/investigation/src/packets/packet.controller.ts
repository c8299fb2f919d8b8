import { Controller, Get, Param, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiProblems, CurrentMerchant, Roles } from '@recourse/platform';
import { CaseErrors } from '../cases/cases.errors';
import { PacketErrors } from './packet.errors';
import { PacketService } from './packet.service';

const PDF = { description: 'the evidence packet, one PDF (CONTRACT §11)', schema: { type: 'string', format: 'binary' } } as const;

const asPdf = (id: string, pdf: Buffer) => new StreamableFile(pdf, {
  type: 'application/pdf', disposition: `inline; filename*=UTF-8''${encodeURIComponent(`packet-${id}.pdf`)}`, length: pdf.length,
});

@ApiTags('cases')
@ApiBearerAuth()
@Roles('investigator', 'supervisor')
@Controller('v1/cases')
export class CasePacketController {
  constructor(private readonly packets: PacketService) {}

  /** Everything on the case, with the internal notes, the risk and the audit trail with its verdict. */
  @Get(':id/packet')
  @ApiProduces('application/pdf')
  @ApiOkResponse(PDF)
  @ApiProblems(CaseErrors.NotFound, PacketErrors.FontMissing)
  async packet(@Param('id') id: string) {
    return asPdf(id, await this.packets.forInvestigator(id));
  }
}

@ApiTags('merchants')
@ApiBearerAuth()
@Roles('merchant')
@Controller('v1/merchant/disputes')
export class MerchantPacketController {
  constructor(private readonly packets: PacketService) {}

  /** What the merchant may see of its own dispute: no internal notes, risk or audit trail. */
  @Get(':id/packet')
  @ApiProduces('application/pdf')
  @ApiOkResponse(PDF)
  @ApiProblems(CaseErrors.NotFound, PacketErrors.FontMissing)
  async packet(@CurrentMerchant() merchantId: string, @Param('id') id: string) {
    return asPdf(id, await this.packets.forMerchant(merchantId, id));
  }
}
