import { committedAndGenerated } from '@recourse/testing';
import { investigationMigrations } from '../src/migrations';

describe('investigation row types', () => {
  it('are what the migrations build (UPDATE_SCHEMA_TYPES=1 regenerates them)', async () => {
    const { committed, generated } = await committedAndGenerated({
      schema: 'investigation',
      migrations: investigationMigrations,
      file: 'apps/investigation/src/database/investigation.tables.ts',
      columns: {
        'cases.reason': 'DisputeReason', 'cases.status': 'CaseStatus', 'cases.outcome': 'DisputeOutcome | null', 'cases.channel': 'Channel',
        'cases.locale': 'Locale', 'cases.payment': 'TriagePayment', 'cases.deadlines': 'DisputeDeadlines', 'cases.risk_signals': 'Generated<RiskSignal[]>',
        'cases.decision': 'CaseDecision | null', 'cases.pending_decision': 'PendingDecision | null', 'cases.evidence_request': 'EvidenceRequest | null',
        'notes.author': 'Actor', 'notes.kind': 'NoteKind', 'merchant_responses.kind': 'MerchantResponseKind', 'merchant_responses.attachments': 'Generated<AttachmentView[]>',
        'audit_entries.actor': 'Actor', 'timers.kind': 'TimerKind', 'payments.status': 'PaymentStatus',
        'resolution_rules.rules': 'ResolutionRule[]', 'cases.regime': 'Generated<Regime>', 'cases.feedback': 'CaseFeedback | null',
        'messages.party': 'MessageParty', 'messages.author': 'Actor', 'messages.visibility': 'MessageVisibility',
        'messages.attachments': 'Generated<MessageAttachmentData[]>', 'offers.kind': 'OfferKind', 'offers.status': 'OfferStatus', 'offers.answered_by': 'Actor | null',
        'cases.stage': 'Generated<CaseStage>', 'cases.merchant_appeal': 'MerchantAppeal | null', 'cases.ruling': 'CaseRuling | null',
        'incidents.reason': 'DisputeReason', 'incidents.status': 'Generated<IncidentStatus>', 'incidents.resolution': 'IncidentResolution | null',
      },
      imports: {
        DisputeReason: '@recourse/contracts#DisputeReason', DisputeOutcome: '@recourse/contracts#DisputeOutcome', Channel: '@recourse/contracts#Channel',
        Locale: '@recourse/contracts#Locale', Actor: '@recourse/contracts#Actor', Regime: '@recourse/contracts#Regime', OfferKind: '@recourse/contracts#OfferKind', OfferStatus: '@recourse/contracts#OfferStatus',
        MessageVisibility: '@recourse/contracts#MessageVisibility', MessageAttachmentData: '@recourse/contracts#MessageAttachmentData', PaymentStatus: '@recourse/contracts#PaymentStatus',
        CaseStatus: '@recourse/domain#CaseStatus', TriagePayment: '@recourse/domain#TriagePayment', DisputeDeadlines: '@recourse/domain#DisputeDeadlines',
        RiskSignal: '@recourse/domain#RiskSignal', PendingDecision: '@recourse/domain#PendingDecision', AttachmentView: '@recourse/platform#AttachmentView',
        CaseDecision: '../cases/case.types#CaseDecision', CaseFeedback: '../cases/case.types#CaseFeedback', EvidenceRequest: '../cases/case.types#EvidenceRequest', NoteKind: '../cases/case.types#NoteKind',
        MerchantResponseKind: '../cases/case.types#MerchantResponseKind', TimerKind: '../deadlines/timers.repository#TimerKind',
        ResolutionRule: '../resolution-rules/resolution-rules.rules#ResolutionRule',
        MessageParty: '../conversation/conversation.types#MessageParty',
        CaseStage: '@recourse/domain#CaseStage', MerchantAppeal: '../cases/case.types#MerchantAppeal', CaseRuling: '../cases/case.types#CaseRuling',
        IncidentStatus: '@recourse/contracts#IncidentStatus', IncidentResolution: '../incidents/incident.types#IncidentResolution',
      },
    });
    expect(committed).toBe(generated);
  }, 60_000);
});
