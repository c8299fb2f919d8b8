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
