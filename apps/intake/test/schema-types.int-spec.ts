import { committedAndGenerated } from '@recourse/testing';
import { intakeMigrations } from '../src/migrations';

describe('intake row types', () => {
  it('are what the migrations build (UPDATE_SCHEMA_TYPES=1 regenerates them)', async () => {
    const { committed, generated } = await committedAndGenerated({
      schema: 'intake',
      migrations: intakeMigrations,
      file: 'apps/intake/src/database/intake.tables.ts',
      columns: {
        'disputes.reason': 'DisputeReason', 'disputes.status': 'DisputeStatus', 'disputes.outcome': 'DisputeOutcome | null',
        'disputes.channel': 'Channel', 'disputes.locale': 'Locale', 'disputes.deadlines': 'DisputeDeadlines',
        'disputes.withdrawal': 'WithdrawalState | null', 'disputes.offers': 'Generated<OfferCopy[]>', 'disputes.filed_by': 'Actor', 'timeline.params': 'TimelineParams',
        'disputes.identity_check': 'IdentityCheckDto | null', 'disputes.contact': 'ContactDto | null', 'disputes.regime': 'Generated<Regime>', 'disputes.feedback': 'DisputeFeedback | null',
        'payments.status': 'PaymentStatus', 'payments.failure_reason': 'FailureReason | null', 'messages.author': 'Actor',
        'messages.visibility': 'Generated<MessageVisibility>', 'merchant_messages.attachments': 'Generated<MessageAttachmentData[]>',
      },
      imports: {
        DisputeReason: '@recourse/contracts#DisputeReason', DisputeStatus: '@recourse/contracts#DisputeStatus', DisputeOutcome: '@recourse/contracts#DisputeOutcome',
        PaymentStatus: '@recourse/contracts#PaymentStatus', FailureReason: '@recourse/contracts#FailureReason',
        Channel: '@recourse/contracts#Channel', Locale: '@recourse/contracts#Locale', Actor: '@recourse/contracts#Actor', Regime: '@recourse/contracts#Regime',
        MessageVisibility: '@recourse/contracts#MessageVisibility', MessageAttachmentData: '@recourse/contracts#MessageAttachmentData',
        DisputeDeadlines: '@recourse/domain#DisputeDeadlines', WithdrawalState: '../disputes/withdrawal.types#WithdrawalState', OfferCopy: '../disputes/offer.types#OfferCopy', DisputeFeedback: '../feedback/feedback.types#DisputeFeedback', TimelineParams: '../disputes/timeline.mapper#TimelineParams',
        IdentityCheckDto: '../disputes/dto/create-dispute.dto#IdentityCheckDto', ContactDto: '../disputes/dto/create-dispute.dto#ContactDto',
      },
    });
    expect(committed).toBe(generated);
  }, 60_000);
});
