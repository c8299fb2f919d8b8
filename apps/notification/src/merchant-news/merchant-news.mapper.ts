import { Event } from '@recourse/contracts';
import { NewWebhook } from '../deliveries/deliveries.service';

/**
 * The `merchant.dispute_rate_warning` webhook (CONTRACT §11) for a change of the merchant's status by dispute
 * rate, to the merchant the event names (its data, not a dispute copy: there is no dispute).
 */
export function merchantNews(event: Event<'merchant.dispute_rate_changed'>): NewWebhook {
  const { merchantId, status, rate, disputes, payments, window } = event.data;
  return { cause: event, merchantId, type: 'merchant.dispute_rate_warning', data: { status, rate, disputes, payments, window } };
}

/**
 * The `incident.opened` webhook (CONTRACT §12): many disputes of one reason against the merchant within a short
 * window, gathered into an incident the platform resolves at once (a retry bug double-charging, an outage).
 */
export function incidentNews(event: Event<'incident.opened'>): NewWebhook {
  const { incidentId, merchantId, reason, caseIds, caseCount, openedAt } = event.data;
  return { cause: event, merchantId, type: 'incident.opened', data: { incidentId, reason, disputeIds: caseIds, disputeCount: caseCount, openedAt } };
}
