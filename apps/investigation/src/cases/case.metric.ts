import { registry } from '@recourse/platform';
import { Counter, Histogram } from 'prom-client';

/**
 * Filing to decision, by outcome and by who decided (rule, person, merchant). Observed inside the deciding
 * transaction, so a rolled-back decision is still counted once: rare, and a retry decides the same case.
 */
export const timeToResolution = new Histogram({
  name: 'recourse_case_time_to_resolution_seconds',
  help: 'Time from filing to decision, by outcome and decider',
  labelNames: ['outcome', 'decided_by'],
  // From an instant rule decision to past the 45-day resolution SLA.
  buckets: [1, 60, 3_600, 86_400, 3 * 86_400, 7 * 86_400, 14 * 86_400, 30 * 86_400, 45 * 86_400, 60 * 86_400],
  registers: [registry],
});

/** Deadlines that passed with the case still waiting (CONTRACT §5): each is a customer let down. */
export const slaBreaches = new Counter({
  name: 'recourse_sla_breaches_total',
  help: 'SLA deadlines breached (case.sla_breached), by deadline',
  labelNames: ['deadline'],
  registers: [registry],
});
