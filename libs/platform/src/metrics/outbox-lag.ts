import { DataSource } from 'typeorm';
import { outboxBacklog, parkedCount } from '../messaging/outbox.repository';
import { cached, ScrapedGauge } from './scraped-gauge';

const outboxPending = new ScrapedGauge({
  name: 'recourse_outbox_pending',
  help: 'Outbox rows not yet published to Kafka (read at scrape time)',
});

const outboxOldestAge = new ScrapedGauge({
  name: 'recourse_outbox_oldest_age_seconds',
  help: 'Age of the oldest unpublished outbox row, 0 when the outbox is empty (read at scrape time)',
});

const outboxParkedRows = new ScrapedGauge({
  name: 'recourse_outbox_parked',
  help: 'Outbox rows Kafka refused for good, waiting in the schema\'s outbox_parked table for an operator (read at scrape time)',
});

/** Outbox lag of one service's schema (see outboxBacklog), and its parked rows. Returns the function that stops reporting. */
export function reportOutboxLag(dataSource: DataSource, schema: string, ttlMs = 5_000): () => void {
  const read = cached(() => outboxBacklog(dataSource, schema), ttlMs);
  const readParked = cached(() => parkedCount(dataSource, schema), ttlMs);
  const stops = [
    outboxPending.register(schema, async () => [{ value: (await read()).pending }]),
    outboxOldestAge.register(schema, async () => [{ value: Math.max(0, (await read()).age ?? 0) }]),
    outboxParkedRows.register(schema, async () => [{ value: await readParked() }]),
  ];
  return () => stops.forEach((stop) => stop());
}
