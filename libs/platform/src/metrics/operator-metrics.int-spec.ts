// Outbox and consumer lag read from a real Postgres and a real broker, the way a scrape reads them.
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { DataSource } from 'typeorm';
import { addOutboxTraceContext, createMessagingTables, createOutboxParked } from '../database/database';
import { BrokerOffsets } from '../messaging/broker-offsets';
import { reportConsumerLag } from './consumer-lag';
import { registry } from './metrics';
import { reportOutboxLag } from './outbox-lag';

async function valuesOf(name: string, service: string): Promise<Array<{ labels: Record<string, string | number>; value: number }>> {
  const { values } = await registry.getSingleMetric(name)!.get();
  return values.filter(({ labels }) => labels.service === service);
}

describe('outbox lag', () => {
  const schema = `metrics_${randomUUID().slice(0, 8)}`;
  const dataSource = new DataSource({ type: 'postgres', url: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/recourse_test' });
  let stop: () => void = () => undefined;

  beforeAll(async () => {
    await dataSource.initialize();
    const runner = dataSource.createQueryRunner();
    await runner.query(`CREATE SCHEMA "${schema}"`);
    await createMessagingTables(runner, schema);
    await addOutboxTraceContext(runner, schema);
    await createOutboxParked(runner, schema);
    await runner.release();
    stop = reportOutboxLag(dataSource, schema, 0);
  });
  afterAll(async () => {
    stop();
    await dataSource.query(`DROP SCHEMA "${schema}" CASCADE`);
    await dataSource.destroy();
  });

  it('counts the unpublished rows and the age of the oldest, and reads 0 once they are published', async () => {
    await dataSource.query(
      `INSERT INTO "${schema}".outbox (event_id, topic, key, payload, created_at)
       VALUES ('e1', 't', 'k', '{}', now() - interval '90 seconds'), ('e2', 't', 'k', '{}', now())`,
    );
    expect(await valuesOf('recourse_outbox_pending', schema)).toEqual([{ labels: { service: schema }, value: 2 }]);
    const [age] = await valuesOf('recourse_outbox_oldest_age_seconds', schema);
    expect(age.value).toBeGreaterThanOrEqual(90);
    expect(age.value).toBeLessThan(3_600);

    await dataSource.query(`DELETE FROM "${schema}".outbox`);
    expect(await valuesOf('recourse_outbox_pending', schema)).toEqual([{ labels: { service: schema }, value: 0 }]);
    expect(await valuesOf('recourse_outbox_oldest_age_seconds', schema)).toEqual([{ labels: { service: schema }, value: 0 }]);
  });

  it('counts the parked rows until an operator re-queues them', async () => {
    expect(await valuesOf('recourse_outbox_parked', schema)).toEqual([{ labels: { service: schema }, value: 0 }]);
    await dataSource.query(
      `INSERT INTO "${schema}".outbox_parked (id, event_id, topic, key, payload, created_at, error_code, error_message)
       VALUES (1, 'e3', 't', 'k', '{}', now(), 'MESSAGE_TOO_LARGE', 'too large')`,
    );
    expect(await valuesOf('recourse_outbox_parked', schema)).toEqual([{ labels: { service: schema }, value: 1 }]);

    // The README's re-queue: back into the outbox (a new id, so after the key's later events), out of parked.
    await dataSource.query(`
      WITH requeued AS (DELETE FROM "${schema}".outbox_parked WHERE id = 1 RETURNING event_id, topic, key, payload, traceparent, tracestate)
      INSERT INTO "${schema}".outbox (event_id, topic, key, payload, traceparent, tracestate) SELECT * FROM requeued`);
    expect(await valuesOf('recourse_outbox_parked', schema)).toEqual([{ labels: { service: schema }, value: 0 }]);
    expect(await valuesOf('recourse_outbox_pending', schema)).toEqual([{ labels: { service: schema }, value: 1 }]);
  });
});

describe('consumer lag', () => {
  const kafka = new Kafka({ clientId: 'lag-test', brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const topic = `lag.${randomUUID()}`;
  const groupId = `lag-${randomUUID()}`;
  const service = `lag-service-${randomUUID().slice(0, 8)}`;
  const offsets = new BrokerOffsets({ clientId: 'lag-test', brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',') });
  let stop: () => void = () => undefined;

  beforeAll(async () => {
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ value: 'a', partition: 0 }, { value: 'b', partition: 0 }, { value: 'c', partition: 1 }] });
    await producer.disconnect();
    stop = reportConsumerLag(offsets, service, groupId, [topic], 0);
  });
  afterAll(async () => {
    stop();
    await offsets.close();
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  const lag = async () =>
    (await valuesOf('recourse_consumer_lag', service))
      .map(({ labels, value }) => ({ partition: Number(labels.partition), topic: labels.topic, group: labels.group, value }))
      .sort((a, b) => a.partition - b.partition);

  it('counts every message of a group that never committed, and what is left after a commit', async () => {
    expect(await lag()).toEqual([
      { partition: 0, topic, group: groupId, value: 2 },
      { partition: 1, topic, group: groupId, value: 1 },
    ]);
    await admin.setOffsets({ groupId, topic, partitions: [{ partition: 0, offset: '1' }, { partition: 1, offset: '1' }] });
    expect(await lag()).toEqual([
      { partition: 0, topic, group: groupId, value: 1 },
      { partition: 1, topic, group: groupId, value: 0 },
    ]);
    // kafkajs's setOffsets joins the group to check it is empty, which takes seconds.
  }, 30_000);

  it('stops reporting once stopped', async () => {
    stop();
    expect(await lag()).toEqual([]);
  });
});
