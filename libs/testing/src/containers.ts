// Postgres and Kafka in Docker for one test run (./infrastructure.ts decides when). Their settings follow the
// local servers' (tools/kafka/server.properties.template, the machine's 300 Postgres connections), so a suite
// behaves alike on both. Containers this process leaves behind are removed by testcontainers' reaper when it exits.
import { PostgreSqlContainer } from '@testcontainers/postgresql';
import { GenericContainer, StartedTestContainer, Wait } from 'testcontainers';

/** The versions docker-compose.yml runs (and tools/kafka/pom.xml fetches for the local broker). */
export const POSTGRES_IMAGE = 'postgres:15';
export const KAFKA_IMAGE = 'apache/kafka:4.1.1';

export interface StartedInfrastructure {
  /** TEST_DATABASE_URL: a superuser on the server, so suites can create databases of their own. */
  databaseUrl: string;
  /** KAFKA_BROKERS: the broker as the host reaches it. */
  brokers: string;
  stop(): Promise<void>;
}

/** Starts both at once; when one fails, the other is stopped before the error is thrown. */
export async function startContainers(): Promise<StartedInfrastructure> {
  const [postgres, kafka] = await Promise.allSettled([startPostgres(), startKafka()]);
  if (postgres.status === 'rejected' || kafka.status === 'rejected') {
    await Promise.all([postgres, kafka].map((started) => (started.status === 'fulfilled' ? started.value.container.stop() : undefined)));
    throw postgres.status === 'rejected' ? postgres.reason : (kafka as PromiseRejectedResult).reason;
  }
  return {
    databaseUrl: postgres.value.url,
    brokers: kafka.value.brokers,
    stop: async () => {
      await Promise.all([postgres.value.container.stop(), kafka.value.container.stop()]);
    },
  };
}

async function startPostgres(): Promise<{ container: StartedTestContainer; url: string }> {
  const container = await new PostgreSqlContainer(POSTGRES_IMAGE)
    .withDatabase('recourse_test')
    .withUsername('postgres')
    // An e2e suite runs four services' pools beside its own clients. No fsync: a test database need not survive
    // a crash of the machine, and every commit waits less (Immich's medium tests do the same).
    .withCommand(['postgres', '-c', 'max_connections=300', '-c', 'fsync=off'])
    .start();
  return { container, url: container.getConnectionUri() };
}

const CLIENT_PORT = 9092;
const BROKER_PORT = 9093;
const CONTROLLER_PORT = 9094;
const HOSTNAME = 'kafka';
const START_SCRIPT = '/tmp/recourse-kafka-start.sh';
const WAITING = 'recourse: waiting for the start script';

/** One combined broker and controller (KRaft), as tools/kafka/server.properties.template configures it. */
const KAFKA_SETTINGS = {
  CLUSTER_ID: '5L6g3nShT-eMCtK--X86sw',
  KAFKA_NODE_ID: '1',
  KAFKA_PROCESS_ROLES: 'broker,controller',
  KAFKA_CONTROLLER_QUORUM_VOTERS: `1@${HOSTNAME}:${CONTROLLER_PORT}`,
  KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
  // PLAINTEXT is the host's way in (advertised at the mapped port); BROKER is the broker's own, inside the container.
  KAFKA_LISTENERS: `PLAINTEXT://0.0.0.0:${CLIENT_PORT},BROKER://0.0.0.0:${BROKER_PORT},CONTROLLER://0.0.0.0:${CONTROLLER_PORT}`,
  KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'PLAINTEXT:PLAINTEXT,BROKER:PLAINTEXT,CONTROLLER:PLAINTEXT',
  KAFKA_INTER_BROKER_LISTENER_NAME: 'BROKER',
  KAFKA_NUM_PARTITIONS: '3',
  KAFKA_DEFAULT_REPLICATION_FACTOR: '1',
  KAFKA_MIN_INSYNC_REPLICAS: '1',
  KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
  KAFKA_OFFSETS_TOPIC_NUM_PARTITIONS: '3',
  KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
  KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
  KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR: '1',
  KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR: '1',
  KAFKA_UNCLEAN_LEADER_ELECTION_ENABLE: 'false',
  KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
  // The services create their topics: a misspelt topic is an error, not a new topic.
  KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
  KAFKA_HEAP_OPTS: '-Xms256m -Xmx512m',
};

/**
 * apache/kafka, not @testcontainers/kafka: that module drives Confluent's images only (it reads the tag as a
 * Confluent Platform version and runs /etc/confluent/docker/run). Clients must reach the address the broker
 * advertises, the host's mapped port, known only once the container runs: the container waits for a start script
 * naming it (the way testcontainers' KafkaContainer does), and the broker is ready when it logs its start.
 */
async function startKafka(): Promise<{ container: StartedTestContainer; brokers: string }> {
  const container = await new GenericContainer(KAFKA_IMAGE)
    .withHostname(HOSTNAME)
    .withExposedPorts(CLIENT_PORT)
    .withEnvironment(KAFKA_SETTINGS)
    .withEntrypoint(['sh'])
    .withCommand(['-c', `echo '${WAITING}'; while [ ! -f ${START_SCRIPT} ]; do sleep 0.1; done; exec sh ${START_SCRIPT}`])
    .withWaitStrategy(Wait.forLogMessage(WAITING))
    .start();
  try {
    const brokers = `${container.getHost()}:${container.getMappedPort(CLIENT_PORT)}`;
    // The image's own start (format the storage, write the properties, launch), with the advertised listeners added.
    const advertised = `KAFKA_ADVERTISED_LISTENERS=PLAINTEXT://${brokers},BROKER://${HOSTNAME}:${BROKER_PORT}`;
    await container.copyContentToContainer([{ content: `exec /etc/kafka/docker/run ${advertised}\n`, target: START_SCRIPT, mode: 0o755 }]);
    await logLine(container, /Kafka Server started/, 120_000);
    return { container, brokers };
  } catch (error) {
    await container.stop();
    throw error;
  }
}

/** Resolves once the container has logged a line matching `pattern`; fails if it exits or the time runs out first. */
async function logLine(container: StartedTestContainer, pattern: RegExp, timeoutMs: number): Promise<void> {
  const stream = await container.logs();
  let tail = '';
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${KAFKA_IMAGE} logged no ${pattern} within ${timeoutMs} ms:\n${tail}`)), timeoutMs);
      stream.on('data', (chunk: Buffer | string) => {
        // A line may arrive in two chunks: match over the end of what came before as well.
        tail = `${tail}${chunk.toString()}`.slice(-8_000);
        if (pattern.test(tail)) {
          clearTimeout(timer);
          resolve();
        }
      });
      stream.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      stream.once('end', () => {
        clearTimeout(timer);
        reject(new Error(`${KAFKA_IMAGE} exited before logging ${pattern}:\n${tail}`));
      });
    });
  } finally {
    stream.destroy();
  }
}
