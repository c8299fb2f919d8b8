import { DataSource } from 'typeorm';
import { cached, ScrapedGauge } from './scraped-gauge';

const outboxPending = new ScrapedGauge({
  name: 'recourse_outbox_pending',
  help: 'Outbox rows not yet published to Kafka (read at scrape time)',
});

const outboxOldestAge = new ScrapedGauge({
  name: 'recourse_outbox_oldest_age_seconds',
  help: 'Age of the oldest unpublished outbox row, 0 when the outbox is empty (read at scrape time)',
});

/**
 * Outbox lag of one service's schema. The relay deletes rows once Kafka has them, so the table holds only
 * the backlog and counting it stays cheap. Returns the function that stops reporting.
 */
export function reportOutboxLag(dataSource: DataSource, schema: string, ttlMs = 5_000): () => void {
  const read = cached(async () => {
    const [row]: Array<{ pending: number; age: number | null }> = await dataSource.query(
      `SELECT count(*)::int AS pending, extract(epoch FROM clock_timestamp() - min(created_at))::float8 AS age FROM "${schema}".outbox`,
    );
    return row;
  }, ttlMs);
  const stops = [
    outboxPending.register(schema, async () => [{ value: (await read()).pending }]),
    outboxOldestAge.register(schema, async () => [{ value: Math.max(0, (await read()).age ?? 0) }]),
  ];
  return () => stops.forEach((stop) => stop());
}
