import { Injectable } from '@nestjs/common';
import { Actor } from '@recourse/contracts';
import { merchantCostOf, StageCommand, stageTransition } from '@recourse/domain';
import { decodeAttachment, describeAttachment, newEvent, newRowId, ProblemException, requestTransaction, storeAttachments } from '@recourse/platform';
import { DataSource, EntityManager } from 'typeorm';
import { CaseErrors } from '../cases/cases.errors';
import { CaseRow } from '../cases/cases.repository';
import { CasesService } from '../cases/cases.service';
import { CaseRuling, MerchantAppeal } from '../cases/case.types';
import { CaseWriter } from '../cases/case-writer.service';
import { Clock } from '../deadlines/clock.service';
import { InvestigationConfig } from '../investigation.config';
import { MerchantDisputesService } from '../merchants/merchant-disputes.service';
import { MerchantAppealDto, RulingDto } from './dto/appeal.dto';
import { stageStateOf } from './pre-arbitration.mapper';

/**
 * Pre-arbitration (CONTRACT §10): a merchant appeals an approval a person decided at its cost, and a
 * supervisor who did not make that decision rules on it. The case's status and outcome stay as they are (the
 * customer keeps the money either way); only its stage moves, audited, with its event in the same transaction.
 */
@Injectable()
export class PreArbitrationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly writer: CaseWriter,
    private readonly cases: CasesService,
    private readonly merchantDisputes: MerchantDisputesService,
    private readonly config: InvestigationConfig,
    private readonly clock: Clock,
  ) {}

  /** The merchant's appeal, once, within MERCHANT_APPEAL_WINDOW of the decision; the case enters the queue in pre-arbitration. */
  async appeal(merchantId: string, id: string, body: MerchantAppealDto) {
    const attachments = (body.attachments ?? []).map(decodeAttachment);
    const files = attachments.map(describeAttachment);
    const actor: Actor = { type: 'merchant', id: merchantId };
    return requestTransaction(this.dataSource, async (manager) => {
      const row = await this.writer.lock(manager, id);
      // Another merchant's case does not exist for this one (404).
      if (row.merchant_id !== merchantId) throw new ProblemException(CaseErrors.NotFound);
      const now = this.clock.now();
      this.move(row, { type: 'merchant_appeal', at: now, windowMs: this.config.merchantAppealWindowMs() });
      const decision = row.decision!;
      const appeal: MerchantAppeal = { reason: body.reason, attachments: files, appealedAt: now.toISOString(), merchantAmount: merchantCostOf(decision) };
      await storeAttachments(manager, 'investigation', { disputeId: id, messageId: newRowId() }, attachments);
      await this.writer.note(manager, row, {
        actor, action: 'case.merchant_appealed', data: appeal,
        columns: { stage: 'pre_arbitration', merchant_appeal: appeal },
        events: [newEvent('case.merchant_appealed', {
          disputeId: id, actor,
          data: { merchantId, reason: body.reason, attachments: files.length, merchantAmount: appeal.merchantAmount, currency: decision.currency },
        }, now)],
      });
      return this.merchantDisputes.get(merchantId, id, manager);
    });
  }

  /** A supervisor's ruling; `reverse` has refund pay the merchant back from the platform (case.ruled carries what it needs). */
  async rule(ruledBy: Actor, id: string, body: RulingDto) {
    return requestTransaction(this.dataSource, async (manager: EntityManager) => {
      const row = await this.writer.lock(manager, id);
      this.move(row, { type: 'rule', by: ruledBy.id });
      const now = this.clock.now();
      const decision = row.decision!;
      const ruling: CaseRuling = { outcome: body.outcome, explanation: body.explanation, ruledBy, ruledAt: now.toISOString() };
      await this.writer.note(manager, row, {
        actor: ruledBy, action: 'case.ruled', data: ruling,
        columns: { stage: 'ruled', ruling },
        events: [newEvent('case.ruled', {
          disputeId: id, actor: ruledBy,
          data: {
            ruling: body.outcome, explanation: body.explanation, ruledBy, merchantId: row.merchant_id, customerId: row.customer_id, paymentId: row.payment_id,
            currency: decision.currency, refundAmount: decision.refundAmount, merchantAmount: row.merchant_appeal?.merchantAmount ?? merchantCostOf(decision),
            disputedAmount: row.amount, locale: row.locale,
          },
        }, now)],
      });
      return this.cases.get(id, manager);
    });
  }

  /** Applies a stage command or refuses it with 409 (`invalid_transition`, `four_eyes_required`). */
  private move(row: CaseRow, command: StageCommand): void {
    const result = stageTransition(stageStateOf(row), command);
    if (result.ok) return;
    const detail = command.type === 'rule'
      ? (result.reason === 'four_eyes_required' ? 'the person who made the decision cannot rule on its appeal' : `no merchant appeal is waiting for a ruling (stage ${row.stage})`)
      : `this case cannot be appealed by the merchant now (stage ${row.stage}): once, within the window, an approval a person decided at the merchant's cost`;
    throw new ProblemException(result.reason === 'four_eyes_required' ? CaseErrors.FourEyesRequired : CaseErrors.InvalidTransition, detail);
  }
}
