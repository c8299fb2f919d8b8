import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { Event } from '@recourse/contracts';
import { DisputeProgressService } from './dispute-progress.service';
import { WithdrawalService } from './withdrawal.service';

@Controller()
export class DisputesConsumer {
  constructor(
    private readonly progress: DisputeProgressService,
    private readonly withdrawals: WithdrawalService,
  ) {}

  @EventPattern('case.triaged')
  onTriaged(@Payload() event: Event<'case.triaged'>) {
    return this.progress.onTriaged(event);
  }

  @EventPattern('case.decided')
  onDecided(@Payload() event: Event<'case.decided'>) {
    return this.progress.onDecided(event);
  }

  @EventPattern('case.withdrawn')
  onWithdrawn(@Payload() event: Event<'case.withdrawn'>) {
    return this.withdrawals.onConfirmed(event);
  }

  @EventPattern('case.withdrawal_refused')
  onWithdrawalRefused(@Payload() event: Event<'case.withdrawal_refused'>) {
    return this.withdrawals.onRefused(event);
  }

  @EventPattern('refund.succeeded')
  onRefunded(@Payload() event: Event<'refund.succeeded'>) {
    return this.progress.onRefunded(event);
  }

  @EventPattern('case.merchant_evidence_requested')
  onMerchantEvidenceRequested(@Payload() event: Event<'case.merchant_evidence_requested'>) {
    return this.progress.onMerchantEvidenceRequested(event);
  }

  @EventPattern('case.customer_info_requested')
  onCustomerInfoRequested(@Payload() event: Event<'case.customer_info_requested'>) {
    return this.progress.onCustomerInfoRequested(event);
  }

  @EventPattern('case.merchant_responded')
  onMerchantResponded(@Payload() event: Event<'case.merchant_responded'>) {
    return this.progress.onMerchantResponded(event);
  }

  @EventPattern('provisional_credit.issued')
  onProvisionalCreditIssued(@Payload() event: Event<'provisional_credit.issued'>) {
    return this.progress.onNews(event);
  }

  @EventPattern('provisional_credit.reversed')
  onProvisionalCreditReversed(@Payload() event: Event<'provisional_credit.reversed'>) {
    return this.progress.onNews(event);
  }

  @EventPattern('case.sla_breached')
  onSlaBreached(@Payload() event: Event<'case.sla_breached'>) {
    return this.progress.onNews(event);
  }

  /** A note or call record an investigator shared: the customer keeps a record of what was said. */
  @EventPattern('case.note_shared')
  onNoteShared(@Payload() event: Event<'case.note_shared'>) {
    return this.progress.onNews(event);
  }
}
