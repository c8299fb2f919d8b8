import { registry } from '@recourse/platform';
import { Counter } from 'prom-client';

/** Webhook attempts by result (succeeded, failed, gone): a rising failure rate means a merchant is down. */
export const webhookAttempts = new Counter({
  name: 'recourse_webhook_attempts_total',
  help: 'Webhook delivery attempts, by result',
  labelNames: ['result'],
  registers: [registry],
});
