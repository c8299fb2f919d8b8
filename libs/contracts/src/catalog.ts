import { EventEnvelope } from './envelope';
import { DisputeFeedbackGivenData, DisputeMessageAddedData, DisputeOfferAnsweredData, DisputeSubmittedData, IntakeEventData } from './events/intake';
import {
  CaseDecidedData, CaseMerchantMessageSharedData, CaseProvisionalCreditDueData, CaseRuledData, IncidentOpenedData, IncidentResolvedData, InvestigationEventData,
  MerchantDisputeRateChangedData,
} from './events/investigation';
import { NotificationEventData } from './events/notification';
import { PaymentEventData, PaymentRecordedData } from './events/payments';
import { ProvisionalCreditData, RefundEventData, RefundFailedData, RefundLiabilityReversedData, RefundSucceededData } from './events/refund';
import { Topic, Topics } from './topics';

/** Every event type and the shape of its `data`. */
export interface EventDataMap
  extends PaymentEventData, IntakeEventData, InvestigationEventData, RefundEventData, NotificationEventData {}

export type EventType = keyof EventDataMap;

type TopicOfTypes = {
  [Key in Topic]: Key extends typeof Topics.payments ? keyof PaymentEventData
    : Key extends typeof Topics.intake ? keyof IntakeEventData
    : Key extends typeof Topics.investigation ? keyof InvestigationEventData
    : Key extends typeof Topics.refund ? keyof RefundEventData
    : keyof NotificationEventData;
};

/** The event types a topic carries, e.g. `TypesOf<'disputes.intake.v1'>` = 'dispute.submitted' | … */
export type TypesOf<T extends Topic> = TopicOfTypes[T];

/** The union of envelopes a topic carries: `EventOf<'disputes.intake.v1'>`. */
export type EventOf<T extends Topic> = { [K in TypesOf<T>]: EventEnvelope<K, EventDataMap[K]> }[TypesOf<T>];

/** One envelope of one type: `Event<'case.decided'>`; a union of types gives a union narrowed by `type`. */
export type Event<K extends EventType> = K extends EventType ? EventEnvelope<K, EventDataMap[K]> : never;

const payments: Record<keyof PaymentEventData, Topic> = { 'payment.recorded': Topics.payments };
const intake: Record<keyof IntakeEventData, Topic> = {
  'dispute.submitted': Topics.intake,
  'dispute.message_added': Topics.intake,
  'dispute.withdrawal_requested': Topics.intake,
  'dispute.withdrawn': Topics.intake,
  'dispute.appealed': Topics.intake,
  'dispute.feedback_given': Topics.intake,
  'dispute.offer_answered': Topics.intake,
};
const investigation: Record<keyof InvestigationEventData, Topic> = {
  'case.opened': Topics.investigation,
  'case.triaged': Topics.investigation,
  'case.assigned': Topics.investigation,
  'case.merchant_evidence_requested': Topics.investigation,
  'case.customer_info_requested': Topics.investigation,
  'case.merchant_responded': Topics.investigation,
  'case.decision_pending': Topics.investigation,
  'case.decided': Topics.investigation,
  'case.provisional_credit_due': Topics.investigation,
  'case.sla_breached': Topics.investigation,
  'case.security_alert': Topics.investigation,
  'case.note_shared': Topics.investigation,
  'case.merchant_message_shared': Topics.investigation,
  'case.withdrawn': Topics.investigation,
  'case.withdrawal_refused': Topics.investigation,
  'case.offer_made': Topics.investigation,
  'case.offer_expired': Topics.investigation,
  'case.offer_answered': Topics.investigation,
  'case.offer_answer_refused': Topics.investigation,
  'case.resolved': Topics.investigation,
  'case.merchant_appealed': Topics.investigation,
  'case.ruled': Topics.investigation,
  'merchant.dispute_rate_changed': Topics.investigation,
  'incident.opened': Topics.investigation,
  'incident.resolved': Topics.investigation,
};
const refund: Record<keyof RefundEventData, Topic> = {
  'refund.succeeded': Topics.refund,
  'refund.failed': Topics.refund,
  'provisional_credit.issued': Topics.refund,
  'provisional_credit.reversed': Topics.refund,
  'refund.liability_reversed': Topics.refund,
};
const notification: Record<keyof NotificationEventData, Topic> = {
  'notification.sent': Topics.notification,
  'webhook.delivered': Topics.notification,
  'webhook.failed': Topics.notification,
};

/** The topic each event type is published on; a type missing here fails to compile. */
export const TOPIC_OF: Record<EventType, Topic> = { ...payments, ...intake, ...investigation, ...refund, ...notification };

export function isKnownEventType(type: string): type is EventType {
  return Object.prototype.hasOwnProperty.call(TOPIC_OF, type);
}

/** Data classes that consumers validate an event's `data` against before handling it. */
export const EVENT_DATA_CLASSES: Partial<Record<EventType, new () => object>> = {
  'payment.recorded': PaymentRecordedData,
  'dispute.submitted': DisputeSubmittedData,
  'dispute.message_added': DisputeMessageAddedData,
  'dispute.offer_answered': DisputeOfferAnsweredData,
  'dispute.feedback_given': DisputeFeedbackGivenData,
  'case.decided': CaseDecidedData,
  'case.provisional_credit_due': CaseProvisionalCreditDueData,
  'case.merchant_message_shared': CaseMerchantMessageSharedData,
  'refund.succeeded': RefundSucceededData,
  'refund.failed': RefundFailedData,
  'provisional_credit.issued': ProvisionalCreditData,
  'provisional_credit.reversed': ProvisionalCreditData,
  'case.ruled': CaseRuledData,
  'refund.liability_reversed': RefundLiabilityReversedData,
  'merchant.dispute_rate_changed': MerchantDisputeRateChangedData,
  'incident.opened': IncidentOpenedData,
};

/**
 * The Kafka key of an event: its dispute (CONTRACT §1), or for an event about no one dispute the party it is
 * about (a merchant's dispute rate: the merchant id, so its changes stay in order; an incident: its id), else
 * its own id.
 */
export function partitionKeyOf(event: EventEnvelope): string {
  if (event.disputeId) return event.disputeId;
  if (event.type === 'merchant.dispute_rate_changed') return (event.data as MerchantDisputeRateChangedData).merchantId;
  if (event.type === 'incident.opened' || event.type === 'incident.resolved') return (event.data as IncidentOpenedData | IncidentResolvedData).incidentId;
  return event.id;
}
