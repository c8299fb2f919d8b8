import { CustomerAddress, DEFAULT_LOCALE, Event, EventEnvelope, Locale } from '@recourse/contracts';
import { NewWebhook } from '../deliveries/deliveries.service';
import { NewNotification } from '../inbox/notifications.service';
import { TemplateKey, TextParams } from '../inbox/templates.mapper';
import { DisputeCopy, NewDisputeCopy } from './disputes.repository';
import {
  appealRuled, disputeCreated, disputeRefunded, disputeRejected, disputeResolvedByMerchant, disputeWithdrawn, evidenceRequested, offerAnswered,
} from './webhook-payloads.mapper';

/** The dispute events notification tells someone about, by the topic that carries them. */
export const INTAKE_NEWS = ['dispute.submitted', 'dispute.withdrawn', 'dispute.appealed'] as const;
export const INVESTIGATION_NEWS = [
  'case.merchant_evidence_requested', 'case.customer_info_requested', 'case.merchant_message_shared', 'case.decided', 'case.sla_breached', 'case.offer_made', 'case.offer_answered', 'case.resolved',
  'case.ruled',
] as const;
export const REFUND_NEWS = ['refund.succeeded', 'refund.failed', 'provisional_credit.issued', 'provisional_credit.reversed'] as const;

export type NewsType = (typeof INTAKE_NEWS)[number] | (typeof INVESTIGATION_NEWS)[number] | (typeof REFUND_NEWS)[number];
export type NewsEvent = Event<NewsType>;

/** What a run of events comes to: the rows to insert, in the events' order. */
export interface DisputeNews {
  /** Copies of newly submitted disputes (the first submission of each dispute in the run). */
  copies: NewDisputeCopy[];
  /** Customer inbox entries, each announced by a notification.sent. */
  notifications: NewNotification[];
  /** Webhooks for the merchant's endpoints, in the order they must be delivered. */
  webhooks: NewWebhook[];
}

/**
 * The disputes whose copies `disputeNews` may consult: those of every event but dispute.submitted (which
 * brings its own copy). A run of submissions alone needs no read.
 */
export function copiesNeeded(events: readonly NewsEvent[]): string[] {
  const ids = new Set<string>();
  for (const event of events) if (event.type !== 'dispute.submitted' && event.disputeId) ids.add(event.disputeId);
  return [...ids].sort();
}

/**
 * Who hears of each event, and what, applying the events in order over `known` (the copies the database
 * holds of `copiesNeeded(events)`; a dispute.submitted adds its dispute's copy for the events after it).
 * Pure, so a run and the same events one at a time give the same rows. Throws for an event that cannot be
 * applied (a producer's bug, or a dispute never seen): its run is then applied event by event, and that
 * event dead-lettered rather than dropped.
 */
export function disputeNews(events: readonly NewsEvent[], known: ReadonlyMap<string, DisputeCopy>): DisputeNews {
  const copies = new Map(known);
  const news: DisputeNews = { copies: [], notifications: [], webhooks: [] };
  for (const event of events) {
    if (ignored(event)) continue;
    // A producer's bug, not an outcome: failing sends the event to the dead-letter topic instead of dropping it.
    const disputeId = event.disputeId;
    if (!disputeId) throw new Error(`${event.type} ${event.id} carries no disputeId`);
    tell(event, disputeId, copies, news);
  }
  return news;
}

/** One event's news; a new copy is recorded in `copies`, where the events after it find it. */
function tell(event: NewsEvent, disputeId: string, copies: Map<string, DisputeCopy>, news: DisputeNews): void {
  const copy = copies.get(disputeId);
  /** One customer entry whose type is also its template's key (the news only the customer hears). */
  const customerOnly = (carried: Partial<CustomerAddress>, type: TemplateKey, params: TextParams) =>
    news.notifications.push({ cause: event, disputeId, ...customerAddress(event, copy, carried), type, template: type, params });
  switch (event.type) {
    case 'dispute.submitted': {
      const data = event.data;
      // The copy already stored wins (ON CONFLICT DO NOTHING): a dispute is submitted once.
      if (!copy) {
        const stored: NewDisputeCopy = {
          id: disputeId, payment_id: data.paymentId, customer_id: data.customerId, merchant_id: data.merchantId, reason: data.reason,
          locale: data.locale, amount: data.amount, currency: data.currency, created_at: data.createdAt,
        };
        news.copies.push(stored);
        copies.set(disputeId, stored);
      }
      news.notifications.push({
        cause: event, disputeId, customerId: data.customerId, type: 'dispute.submitted', template: 'dispute.submitted', locale: data.locale,
        params: { money: { amount: { amount: data.amount, currency: data.currency } } },
      });
      news.webhooks.push({ cause: event, merchantId: data.merchantId, type: 'dispute.created', data: disputeCreated(disputeId, data) });
      return;
    }
    case 'dispute.withdrawn': {
      // Confirmed by investigation (intake publishes it only then), so no refund follows: the merchant stops
      // working on it, and the customer's inbox records that the withdrawal took effect. Same topic and key as
      // dispute.submitted, so the copy is here unless that event was dead-lettered.
      if (!copy) throw new Error(`dispute.withdrawn ${event.id}: dispute ${disputeId} is unknown here`);
      news.notifications.push({
        cause: event, disputeId, customerId: copy.customer_id, locale: copy.locale, type: 'dispute.withdrawn', template: 'dispute.withdrawn',
        params: { money: { amount: { amount: copy.amount, currency: copy.currency } } },
      });
      news.webhooks.push({ cause: event, merchantId: copy.merchant_id, type: 'dispute.withdrawn', data: disputeWithdrawn(disputeId, copy.payment_id, event.occurredAt) });
      return;
    }
    case 'dispute.appealed':
      // Same topic and key as dispute.submitted, so the copy is normally here; the event's own address is the fallback.
      customerOnly(event.data as Partial<CustomerAddress>, 'dispute.appeal_received', {});
      return;
    case 'case.merchant_evidence_requested': {
      // The merchant is asked (webhook); the customer learns their dispute now waits on the merchant.
      const merchantId = event.data.merchantId ?? copy?.merchant_id;
      if (!merchantId) throw new Error(`case.merchant_evidence_requested ${event.id} names no merchant`);
      news.notifications.push({
        cause: event, disputeId, ...customerAddress(event, copy, event.data), type: 'dispute.merchant_contacted', template: 'dispute.merchant_contacted', params: {},
      });
      news.webhooks.push({ cause: event, merchantId, type: 'dispute.evidence_requested', data: evidenceRequested(disputeId, copy?.payment_id ?? null, event.data) });
      return;
    }
    case 'case.customer_info_requested':
      // The investigator's question is shown as written: the customer answers it in the app.
      customerOnly(event.data, 'dispute.info_requested', { text: { message: event.data.message } });
      return;
    case 'case.merchant_message_shared':
      // Written for everyone (investigation publishes no other merchant message): shown as written, like a question.
      customerOnly(event.data, 'dispute.merchant_message', { text: { message: event.data.body } });
      return;
    case 'case.decided': {
      // A rejection is final news for both sides. An approval tells the customer the money is on its way; the
      // merchant hears when it is booked (refund.succeeded carries the amounts that resolved the dispute).
      const data = event.data;
      const address = customerAddress(event, copy, data);
      if (data.outcome === 'approve') {
        news.notifications.push({
          cause: event, disputeId, ...address, type: 'dispute.approved', template: 'dispute.approved',
          params: { money: { amount: { amount: data.refundAmount, currency: data.currency }, disputedAmount: { amount: data.disputedAmount, currency: data.currency } } },
        });
        return;
      }
      news.notifications.push({
        cause: event, disputeId, ...address, type: 'dispute.rejected', template: 'dispute.rejected',
        params: { money: { amount: { amount: data.disputedAmount, currency: data.currency } }, text: { explanation: data.explanation } },
      });
      news.webhooks.push({
        cause: event, merchantId: copy?.merchant_id ?? data.merchantId, type: 'dispute.resolved', data: disputeRejected(disputeId, data, event.occurredAt),
      });
      return;
    }
    case 'case.offer_made': {
      // The customer decides on it in the app; the inbox says what is offered and until when.
      const data = event.data;
      const money = data.amount === null ? undefined : { amount: { amount: data.amount, currency: data.currency }, ...(copy ? { disputedAmount: { amount: copy.amount, currency: copy.currency } } : {}) };
      news.notifications.push({
        cause: event, disputeId, ...customerAddress(event, copy, data), type: 'offer_received', template: `offer_received.${data.kind}`,
        params: { ...(money ? { money } : {}), text: { message: data.message, expiresAt: `${data.expiresAt.slice(0, 16).replace('T', ' ')} UTC` } },
      });
      return;
    }
    case 'case.offer_answered':
      // Only an answer investigation applied: a refused one (the offer expired first) is no news for the merchant.
      news.webhooks.push({
        cause: event, merchantId: event.data.merchantId, type: event.data.answer === 'accepted' ? 'dispute.offer_accepted' : 'dispute.offer_declined',
        data: offerAnswered(disputeId, event.data, event.occurredAt),
      });
      return;
    case 'case.resolved': {
      const data = event.data;
      news.notifications.push({
        cause: event, disputeId, ...customerAddress(event, copy, data), type: 'dispute.resolved', template: 'dispute.resolved_by_merchant',
        params: { money: { amount: { amount: data.disputedAmount, currency: data.currency } } },
      });
      news.webhooks.push({ cause: event, merchantId: data.merchantId, type: 'dispute.resolved', data: disputeResolvedByMerchant(disputeId, data, event.occurredAt) });
      return;
    }
    case 'case.sla_breached':
      // Only the resolution deadline is the customer's business (see ignored); the others are the investigators'.
      customerOnly(event.data, 'dispute.overdue', {});
      return;
    case 'case.ruled':
      // The merchant's appeal is the merchant's news only: the customer keeps the money either way (CONTRACT §10).
      news.webhooks.push({
        cause: event, merchantId: copy?.merchant_id ?? event.data.merchantId, type: 'dispute.appeal_ruled', data: appealRuled(disputeId, event.data, event.occurredAt),
      });
      return;
    case 'refund.succeeded': {
      // Only a refund resolves the dispute; a provisional credit is not an outcome (see ignored).
      const data = event.data;
      const partial = data.outcome === 'partially_refunded';
      news.notifications.push({
        cause: event, disputeId, ...customerAddress(event, copy, data), type: 'refund.succeeded',
        template: partial ? 'refund.partially_refunded' : 'refund.succeeded',
        params: { money: { amount: { amount: data.amount, currency: data.currency }, disputedAmount: { amount: data.disputedAmount, currency: data.currency } } },
      });
      news.webhooks.push({
        cause: event, merchantId: copy?.merchant_id ?? data.merchantId, type: 'dispute.resolved',
        data: disputeRefunded(disputeId, copy?.payment_id ?? null, data, event.occurredAt),
      });
      return;
    }
    case 'refund.failed':
      // A refund that could not be booked yet: an apology, since the customer was told it is on its way. A failed
      // provisional credit was never announced, so it is not the customer's news (see ignored).
      customerOnly(event.data, 'refund.delayed', { money: { amount: { amount: event.data.amount, currency: event.data.currency } } });
      return;
    case 'provisional_credit.issued':
    case 'provisional_credit.reversed':
      customerOnly(event.data, event.type, { money: { amount: { amount: event.data.amount, currency: event.data.currency } } });
      return;
  }
}

/**
 * Events of a handled type that are nobody's news: a deadline the customer has no business with, and what
 * refund says of provisional credits (provisional_credit.* tell of them).
 */
function ignored(event: NewsEvent): boolean {
  switch (event.type) {
    case 'case.sla_breached':
      return event.data.deadline !== 'resolution';
    case 'refund.succeeded':
    case 'refund.failed':
      return event.data.kind !== 'refund';
    default:
      return false;
  }
}

/**
 * Whom to tell, and in which language: the dispute's copy when dispute.submitted has arrived, else what the
 * event itself carries (topics are not ordered against each other), else zh-CN (CONTRACT §7).
 */
export function customerAddress(event: EventEnvelope, copy: DisputeCopy | undefined, carried: Partial<CustomerAddress>): CustomerAddress {
  const customerId = copy?.customer_id ?? carried.customerId;
  if (!customerId) throw new Error(`${event.type} ${event.id}: dispute ${event.disputeId} is unknown here and the event names no customer`);
  const locale: Locale = copy?.locale ?? carried.locale ?? DEFAULT_LOCALE;
  return { customerId, locale };
}
