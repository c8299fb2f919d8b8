import { join } from 'node:path';

export const workspaceRoot = join(__dirname, '..', '..', '..');

/** Tests use their own database, created by `npm test`, so they never touch `npm start`'s data. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/recourse_test';
export const KAFKA_BROKERS = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
/** The local token key pair (KEYS_DIR, as the services read it): signs the tokens of tests and tools. */
export const keysDir = process.env.KEYS_DIR ?? join(workspaceRoot, '.keys');

/** The environment a service under test runs with: test database, its own consumer group, quiet logs. */
export function testEnv(service: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: TEST_DATABASE_URL,
    KAFKA_BROKERS,
    KAFKA_GROUP_ID: `${service}-test`,
    KEYS_DIR: keysDir,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'fatal',
    // Admission control counts requests only: services started in one test process share its event loop, and
    // on a loaded 2-core CI machine any service's loop lags at times, which says nothing of its own load (the
    // lag rule is unit-tested in libs/platform/src/http/admission.spec.ts).
    HTTP_MAX_EVENT_LOOP_DELAY: 'PT0S',
    // No back-pressure from the pipeline's lag: tests share the broker's topics, and the groups of other
    // suites (or of earlier runs) lag on them whenever those are not running (apps/intake/test/back-pressure).
    PIPELINE_MAX_BACKLOG: 'PT0S',
    ...overrides,
  };
}
