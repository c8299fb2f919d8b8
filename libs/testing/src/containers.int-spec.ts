// The container path of a test run (issue 18 #7), end to end: jest's global setup with TEST_INFRASTRUCTURE=containers
// starts Postgres and Kafka, points the tests and the services' environment at them, and they serve SQL and
// kafkajs. It needs a Docker engine; without one the suite is declared skipped, the reason in its name.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import globalSetup from './global-setup';
import globalTeardown from './global-teardown';
import { waitFor } from './wait';

// Jest declares suites synchronously and cannot skip from inside a running test, so testcontainers' detection
// (the one containerRuntimeAnswers() wraps) is asked in a child process before the suite is declared.
const engine = spawnSync(
  process.execPath,
  ['-e', "require('testcontainers').getContainerRuntimeClient().then(() => process.exit(0), (error) => { console.error(error.message); process.exit(1); })"],
  { cwd: __dirname, encoding: 'utf8', timeout: 20_000 },
);
const dockerAnswers = engine.status === 0;
const describeWithDocker = dockerAnswers ? describe : describe.skip;
const skipped = `skipped: no Docker engine answers (${engine.stderr?.trim() || engine.error?.message || `exit ${engine.status}`})`;

describeWithDocker(`Postgres and Kafka in containers${dockerAnswers ? '' : `, ${skipped}`}`, () => {
  const before = { ...process.env };

  beforeAll(async () => {
    process.env.TEST_INFRASTRUCTURE = 'containers';
    await globalSetup();
  }, 300_000);

  afterAll(async () => {
    await globalTeardown();
    process.env = before;
  }, 60_000);

  it('points the tests, and the services they start, at the containers', async () => {
    expect(process.env.TEST_DATABASE_URL).not.toBe(before.TEST_DATABASE_URL);
    expect(process.env.KAFKA_BROKERS).not.toBe(before.KAFKA_BROKERS);
    // A test file loads the harness after the global setup has run: as here, in a fresh module registry.
    await jest.isolateModulesAsync(async () => {
      const { testEnv, TEST_DATABASE_URL, KAFKA_BROKERS } = await import('./env');
      expect({ TEST_DATABASE_URL, KAFKA_BROKERS }).toEqual({ TEST_DATABASE_URL: process.env.TEST_DATABASE_URL, KAFKA_BROKERS: process.env.KAFKA_BROKERS });
      expect(testEnv('intake')).toMatchObject({ DATABASE_URL: process.env.TEST_DATABASE_URL, KAFKA_BROKERS: process.env.KAFKA_BROKERS });
    });
  });

  it('serves SQL as a superuser that can make the databases suites ask for', async () => {
    const client = new Client({ connectionString: process.env.TEST_DATABASE_URL });
    await client.connect();
    const database = `recourse_containers_${randomUUID().slice(0, 8)}`;
    try {
      const { rows } = await client.query(`SELECT current_setting('server_version_num')::int AS version, current_setting('max_connections')::int AS connections,
        (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser`);
      expect(rows[0]).toEqual({ version: expect.any(Number), connections: 300, superuser: true });
      expect(rows[0].version).toBeGreaterThanOrEqual(150_000);
      await client.query(`CREATE DATABASE "${database}"`);
      await client.query(`DROP DATABASE "${database}"`);
    } finally {
      await client.end();
    }
  });

  it('carries a message from a kafkajs producer to a consumer group, with the local broker\'s settings', async () => {
    const brokers = (process.env.KAFKA_BROKERS ?? '').split(',');
    const kafka = new Kafka({ clientId: 'containers-test', brokers, logLevel: logLevel.NOTHING });
    const topic = `containers-test-${randomUUID()}`;
    const admin = kafka.admin();
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    const consumer = kafka.consumer({ groupId: `containers-test-${randomUUID()}`, maxWaitTimeInMs: 100 });
    await admin.connect();
    try {
      // The broker advertises the address the host reaches it at, so every client after the bootstrap finds it.
      const cluster = await admin.describeCluster();
      expect(cluster.brokers.map(({ host, port }) => `${host}:${port}`)).toEqual(brokers);
      const { resources } = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: ConfigResourceTypes.BROKER, name: String(cluster.brokers[0].nodeId), configNames: ['auto.create.topics.enable', 'num.partitions'] }],
      });
      expect(Object.fromEntries(resources[0].configEntries.map(({ configName, configValue }) => [configName, configValue])))
        .toEqual({ 'auto.create.topics.enable': 'false', 'num.partitions': '3' });

      await admin.createTopics({ waitForLeaders: true, topics: [{ topic }] });
      const received: string[] = [];
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({ eachMessage: async ({ message }) => void received.push(message.value?.toString() ?? '') });
      await producer.connect();
      await producer.send({ topic, acks: -1, messages: [{ key: 'd-1', value: 'through the container' }] });
      await waitFor(() => received.length > 0, 'the message back from the consumer group', 30_000);
      expect(received).toEqual(['through the container']);
    } finally {
      await Promise.all([producer.disconnect(), consumer.disconnect()]);
      await admin.disconnect();
    }
  }, 60_000);
});
