// npm test: installs what is missing, provisions Kafka and the test database, builds, and runs every
// test (unit, integration, e2e) against real Postgres and Kafka.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { buildAll } from './lib/build.mjs';
import { ensureDatabase } from './lib/database.mjs';
import { ensureInstalled, fail, root } from './lib/env.mjs';
import { ensureKafka, stopKafka } from './lib/kafka.mjs';
import { ensureKeys } from './lib/keys.mjs';

const testDatabaseUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/recourse_test';
const started = Date.now();

ensureInstalled();
ensureKeys();
buildAll();
// Issue 18 #7: where a Docker engine answers, jest's global setup runs Postgres and Kafka in containers
// (libs/testing/src/infrastructure.ts, built above); only the local servers are prepared here.
const { chooseInfrastructure } = createRequire(import.meta.url)(join(root, 'dist/libs/testing/libs/testing/src/infrastructure.js'));
const infrastructure = await chooseInfrastructure();
const local = infrastructure === 'local';
const dbError = local ? await ensureDatabase(testDatabaseUrl) : null;
if (dbError) fail(dbError);
let kafkaStarted = false;
try {
  kafkaStarted = local && (await ensureKafka());
} catch (error) {
  fail(error.message);
}
let status = 1;
try {
  mkdirSync(join(root, '.run'), { recursive: true });
  const results = join(root, '.run', 'jest-results.json');
  // One worker: the integration suites share the broker's consumer groups and a 2-core machine.
  const jest = spawnSync('npx', ['jest', '--runInBand', '--forceExit', '--json', `--outputFile=${results}`, ...process.argv.slice(2)], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, TEST_DATABASE_URL: testDatabaseUrl, TEST_INFRASTRUCTURE: infrastructure },
  });
  status = jest.status ?? 1;
  if (existsSync(results)) {
    const summary = JSON.parse(readFileSync(results, 'utf8'));
    console.log(`tests in ${((Date.now() - started) / 1000).toFixed(0)} s:`);
    console.log(`${summary.numPassedTests} passed, ${summary.numFailedTests} failed, ${summary.numPendingTests} skipped`);
  }
} finally {
  if (kafkaStarted) stopKafka();
}
process.exit(status);
