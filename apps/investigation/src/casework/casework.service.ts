import { Injectable } from '@nestjs/common';
import { Actor } from '@recourse/contracts';
import { addDuration } from '@recourse/domain';
import { newEvent, newRowId, requestTransaction } from '@recourse/platform';
import { DataSource } from 'typeorm';
import { CaseWriter } from '../cases/case-writer.service';
import { CasesService } from '../cases/cases.service';
import { Clock } from '../deadlines/clock.service';
import { scheduleTimer } from '../deadlines/timers.repository';
import { InvestigationConfig } from '../investigation.config';
import { CaseworkRepository } from './casework.repository';
import { NoteDto } from './dto/casework.dto';

/** An investigator's day: claim or assign, note, ask the merchant or the customer. Each answers with what it wrote. */
@Injectable()
export class CaseworkService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly casework: CaseworkRepository,
    private readonly writer: CaseWriter,
    private readonly cases: CasesService,
    private readonly config: InvestigationConfig,
    private readonly clock: Clock,
  ) {}

  async assign(id: string, actor: Actor, assignee: string) {
    return requestTransaction(this.dataSource, async (manager) => {
      const row = await this.writer.lock(manager, id);
      await this.writer.note(manager, row, {
        actor, action: 'case.assigned', data: { assignee, previous: row.assignee }, columns: { assignee },
        events: [newEvent('case.assigned', { disputeId: id, actor, data: { assignee } }, this.clock.now())],
      });
      return this.cases.get(id, manager);
    });
  }

  async addNote(id: string, actor: Actor, body: NoteDto): Promise<{ id: string }> {
    const noteId = newRowId();
    const share = body.shareWithCustomer ?? false;
    return requestTransaction(this.dataSource, async (manager) => {
      const row = await this.writer.lock(manager, id);
      await this.casework.addNote(manager, { id: noteId, case_id: id, author: actor, kind: body.kind, body: body.body, share_with_customer: share });
      await this.writer.note(manager, row, {
        actor, action: 'case.note_added', data: { noteId, kind: body.kind, shareWithCustomer: share },
        events: share
          ? [newEvent('case.note_shared', { disputeId: id, actor, data: { noteId, kind: body.kind, body: body.body, customerId: row.customer_id, locale: row.locale } }, this.clock.now())]
          : [],
      });
      return { id: noteId };
    });
  }

  /** The merchant has SLA_MERCHANT_RESPONSE to answer; a durable timer returns the case if it does not. */
  async requestMerchantEvidence(id: string, actor: Actor, message: string) {
    const now = this.clock.now();
    const clocks = this.config.clocks();
    const dueBy = addDuration(now, clocks.merchantResponseMs, clocks.calendar).toISOString();
    return requestTransaction(this.dataSource, async (manager) => {
      const row = await this.writer.lock(manager, id);
      await this.writer.change(manager, row, { type: 'request_merchant_evidence' }, {
        actor, action: 'case.merchant_evidence_requested', data: { message, dueBy },
        columns: { evidence_request: { message, dueBy, requestedAt: now.toISOString() }, deadlines: { ...row.deadlines, merchantResponseBy: dueBy } },
        events: [newEvent('case.merchant_evidence_requested', {
          disputeId: id, actor, data: { merchantId: row.merchant_id, message, dueBy, customerId: row.customer_id, locale: row.locale },
        }, now)],
      });
      await scheduleTimer(manager, id, 'merchant_response', dueBy);
      return this.cases.get(id, manager);
    });
  }

  async requestCustomerInfo(id: string, actor: Actor, message: string) {
    return requestTransaction(this.dataSource, async (manager) => {
      const row = await this.writer.lock(manager, id);
      await this.writer.change(manager, row, { type: 'request_customer_info' }, {
        actor, action: 'case.customer_info_requested', data: { message },
        events: [newEvent('case.customer_info_requested', { disputeId: id, actor, data: { message, customerId: row.customer_id, locale: row.locale } }, this.clock.now())],
      });
      return this.cases.get(id, manager);
    });
  }
}
