import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** One registry per process; every service's metrics carry its name as a default label. */
export const registry = new Registry();

let defaultsCollected = false;

/** Idempotent: tests start several services in one process, and default metrics register once. */
export function initMetrics(service: string): void {
  registry.setDefaultLabels({ service });
  if (defaultsCollected) return;
  defaultsCollected = true;
  collectDefaultMetrics({ register: registry });
}

export const eventsConsumed = new Counter({
  name: 'recourse_events_consumed_total',
  help: 'Kafka events handled, by topic, type and result (applied, duplicate, skipped, dead_lettered)',
  labelNames: ['topic', 'type', 'result'],
  registers: [registry],
});

export const eventsPublished = new Counter({
  name: 'recourse_outbox_published_total',
  help: 'Events relayed from the outbox to Kafka',
  labelNames: ['topic'],
  registers: [registry],
});

export const outboxParked = new Counter({
  name: 'recourse_outbox_parked_total',
  help: 'Outbox rows Kafka refused for good (too large, invalid), moved to the schema\'s outbox_parked table',
  labelNames: ['topic'],
  registers: [registry],
});

export const deadLettered = new Counter({
  name: 'recourse_dead_lettered_total',
  help: 'Messages sent to a dead-letter topic, by source topic and error code',
  labelNames: ['topic', 'code'],
  registers: [registry],
});

export const httpDuration = new Histogram({
  name: 'recourse_http_request_duration_seconds',
  help: 'HTTP request duration',
  labelNames: ['method', 'route', 'status'],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers: [registry],
});

export const httpRefused = new Counter({
  name: 'recourse_http_refused_total',
  help: 'HTTP requests refused with 503 overloaded before they started: queue_full (the wait queue was full), queue_timeout (no slot freed within HTTP_QUEUE_TIMEOUT), body_budget_full, body_budget_timeout (no room in HTTP_BODY_BYTES_IN_FLIGHT within HTTP_BODY_QUEUE_TIMEOUT), pipeline_backlog (a filing while the dispute pipeline was behind by more than PIPELINE_MAX_BACKLOG)',
  labelNames: ['reason'],
  registers: [registry],
});

export const admissionLimit = new Gauge({
  name: 'recourse_http_admission_limit',
  help: 'HTTP requests the process lets run at once now: HTTP_MAX_IN_FLIGHT, or less while the event loop is behind by more than HTTP_MAX_EVENT_LOOP_DELAY',
  registers: [registry],
});
