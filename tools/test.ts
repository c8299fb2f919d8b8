// npm test: installs what is missing (tools/bootstrap.mjs), builds, provisions Kafka and the test database (or
// leaves them to containers), and runs every test (unit, integration, e2e) against real Postgres and Kafka.
// Arguments go to Jest.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chooseInfrastructure, ensureDatabase, ensureKeyPair, ensureLocalBroker, Infrastructure, stopLocalBroker, TEST_DATABASE_URL, workspaceRoot } from '@recourse/testing';
import { buildAll } from './lib/build';
import { fail, runTool } from './lib/cli';

/**
 * The local servers, when the run uses them: the test database (created if absent) and the broker (the
 * project's own, started unless KAFKA_BROKERS answers). Issue 18 #7: where a Docker engine answers, jest's
 * global setup runs Postgres and Kafka in containers instead (libs/testing/src/infrastructure.ts), and nothing
 * is prepared here. Returns what to call once the tests are done: it stops the broker if this started it.
 */
async function provisionDatabaseAndBroker(infrastructure: Infrastructure): Promise<() => void> {
  if (infrastructure !== 'local') return () => undefined;
  const dbError = await ensureDatabase(TEST_DATABASE_URL);
  if (dbError) fail(dbError);
  let brokerStarted = false;
  try {
    brokerStarted = await ensureLocalBroker();
  } catch (error) {
    fail((error as Error).message);
  }
  return () => {
    if (brokerStarted) stopLocalBroker();
  };
}

async function main(): Promise<number> {
  const started = Date.now();
  ensureKeyPair();
  buildAll();
  const infrastructure = await chooseInfrastructure();
  const release = await provisionDatabaseAndBroker(infrastructure);
  try {
    mkdirSync(join(workspaceRoot, '.run'), { recursive: true });
    const results = join(workspaceRoot, '.run', 'jest-results.json');
    // One worker: the integration suites share the broker's consumer groups and a 2-core machine.
    const jest = spawnSync('npx', ['jest', '--runInBand', '--forceExit', '--json', `--outputFile=${results}`, ...process.argv.slice(2)], {
      cwd: workspaceRoot,
      stdio: 'inherit',
      env: { ...process.env, TEST_DATABASE_URL, TEST_INFRASTRUCTURE: infrastructure },
    });
    if (existsSync(results)) {
      const summary = JSON.parse(readFileSync(results, 'utf8')) as { numPassedTests: number; numFailedTests: number; numPendingTests: number };
      console.log(`tests in ${((Date.now() - started) / 1000).toFixed(0)} s:`);
      console.log(`${summary.numPassedTests} passed, ${summary.numFailedTests} failed, ${summary.numPendingTests} skipped`);
    }
    return jest.status ?? 1;
  } finally {
    release();
  }
}

runTool('test', main);
