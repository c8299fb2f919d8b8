// Jest's global setup (jest.preset.js), once per run before any test file: in container mode it starts Postgres
// and Kafka and points TEST_DATABASE_URL and KAFKA_BROKERS at them. Test files, and the service processes they
// spawn with testEnv(), inherit this process's environment. Relative imports only: jest loads this file without
// the tests' module mapping.
import { startContainers, StartedInfrastructure } from './containers';
import { chooseInfrastructure } from './infrastructure';

export default async function globalSetup(): Promise<void> {
  // Under `npm test`, TEST_INFRASTRUCTURE holds tools/test.ts's choice: the engine is not asked twice.
  if ((await chooseInfrastructure()) === 'local') return;
  const started = await startContainers().catch((error: unknown) => {
    throw new Error(`Postgres and Kafka in containers did not start (TEST_INFRASTRUCTURE=local runs on the local servers): ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  });
  (globalThis as { recourseContainers?: StartedInfrastructure }).recourseContainers = started;
  process.env.TEST_DATABASE_URL = started.databaseUrl;
  process.env.KAFKA_BROKERS = started.brokers;
  process.stderr.write(`tests: Postgres at ${new URL(started.databaseUrl).host} and Kafka at ${started.brokers}, in containers\n`);
}
