import { registry } from '@recourse/platform';
import { Counter } from 'prom-client';

/** Timer effects that threw; the timer is retried later (or parked), and the timers due after it still fire. */
export const timerFailures = new Counter({
  name: 'recourse_timer_failures_total',
  help: 'Durable timers whose effect failed, by kind',
  labelNames: ['kind'],
  registers: [registry],
});
