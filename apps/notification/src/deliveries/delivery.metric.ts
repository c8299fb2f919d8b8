import { registry } from '@recourse/platform';
import { Counter } from 'prom-client';

/** Webhook attempts by result (succeeded, failed, gone): a rising failure rate means a merchant is down. */
export const webhookAttempts = new Counter({
  name: 'recourse_webhook_attempts_total',
  help: 'Webhook delivery attempts, by result',
  labelNames: ['result'],
  registers: [registry],
});

/**
 * Webhooks that reached a final outcome: delivered, or failed after the last retry (or a 410 Gone). The
 * success rate is delivered over all outcomes; attempts per delivery is attempts over outcomes.
 */
export const webhookDeliveries = new Counter({
  name: 'recourse_webhook_deliveries_total',
  help: 'Webhook deliveries that reached a final outcome, by outcome (delivered, failed)',
  labelNames: ['outcome'],
  registers: [registry],
});
