import { existsSync } from 'node:fs';
import { Injectable, Logger } from '@nestjs/common';
import { ProblemException } from '@recourse/platform';
import { AuditService } from '../audit/audit.service';
import { CasesService } from '../cases/cases.service';
import { Clock } from '../deadlines/clock.service';
import { InvestigationConfig } from '../investigation.config';
import { MerchantDisputesService } from '../merchants/merchant-disputes.service';
import { PacketErrors } from './packet.errors';
import { CaseDetailView, packetFiles, shownImage, ThreadEntry, toPacket } from './packet.mapper';
import { PacketRepository } from './packet.repository';
import { PacketReader } from './packet.types';
import { PacketFont, renderPacketPdf } from './packet-pdf.mapper';

/**
 * Evidence packets (CONTRACT §11): the case read through the same paths as the readers' own GETs (so a
 * merchant's packet shows exactly the thread `GET /v1/merchant/disputes/{id}` shows it), drawn as one PDF.
 */
@Injectable()
export class PacketService {
  private readonly logger = new Logger(PacketService.name);

  constructor(
    private readonly cases: CasesService,
    private readonly merchantDisputes: MerchantDisputesService,
    private readonly audit: AuditService,
    private readonly files: PacketRepository,
    private readonly config: InvestigationConfig,
    private readonly clock: Clock,
  ) {}

  async forInvestigator(id: string): Promise<Buffer> {
    const font = this.font();
    const view = await this.cases.get(id);
    return this.render('investigator', view, view.thread ?? [], font);
  }

  /** Another merchant's dispute answers 404, as its GET does. */
  async forMerchant(merchantId: string, id: string): Promise<Buffer> {
    const font = this.font();
    const own = await this.merchantDisputes.get(merchantId, id);
    return this.render('merchant', await this.cases.get(id), own.thread, font);
  }

  private async render(reader: PacketReader, view: CaseDetailView, thread: readonly ThreadEntry[], font: PacketFont): Promise<Buffer> {
    const [trail, verdict] = await Promise.all([this.audit.trail(view.id), this.audit.verify(view.id)]);
    const images = await this.files.images(view.id, packetFiles(view, thread).filter(shownImage).map((file) => file.sha256));
    return renderPacketPdf(toPacket({ reader, view, thread, trail, verdict, images, now: this.clock.now() }), font);
  }

  /** Checked per request: a font removed after boot gives a clear problem, not a stack trace. */
  private font(): PacketFont {
    const path = this.config.PACKET_FONT;
    if (!existsSync(path)) {
      this.logger.error({ path }, 'the evidence packet font is missing: install fonts-wqy-microhei or set PACKET_FONT');
      throw new ProblemException(PacketErrors.FontMissing);
    }
    return { path, name: this.config.PACKET_FONT_NAME };
  }
}
