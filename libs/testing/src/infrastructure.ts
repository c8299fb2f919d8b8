// Where a test run's Postgres and Kafka come from (issue 18 #7). With a Docker engine, containers started once
// per run (./containers.ts, through jest's global setup), so a laptop needs nothing but Docker; without one, the
// local servers `npm test` prepares (TEST_DATABASE_URL, KAFKA_BROKERS, the broker of tools/kafka/kafka.sh).
// TEST_INFRASTRUCTURE=containers|local overrides the detection.
// Imports nothing of the harness: jest loads it for its global setup outside the tests' module mapping.

export type Infrastructure = 'containers' | 'local';

/** An engine that does not answer within this is as good as none: the run goes on with the local servers. */
const PROBE_TIMEOUT_MS = 10_000;

export interface InfrastructureChoice {
  /** TEST_INFRASTRUCTURE: `containers`, `local`, or empty / `auto` to detect. */
  setting?: string;
  /** Whether a Docker engine answers; testcontainers' own detection unless a test injects another. */
  dockerAnswers?: () => Promise<boolean>;
  probeTimeoutMs?: number;
}

export async function chooseInfrastructure({
  setting = process.env.TEST_INFRASTRUCTURE,
  dockerAnswers = containerRuntimeAnswers,
  probeTimeoutMs = PROBE_TIMEOUT_MS,
}: InfrastructureChoice = {}): Promise<Infrastructure> {
  const wanted = setting?.trim().toLowerCase() || 'auto';
  if (wanted === 'containers' || wanted === 'local') return wanted;
  if (wanted !== 'auto') throw new Error(`TEST_INFRASTRUCTURE must be containers, local or auto (the default), not "${setting}"`);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), probeTimeoutMs)));
  try {
    return (await Promise.race([dockerAnswers().catch(() => false), timeout])) ? 'containers' : 'local';
  } finally {
    clearTimeout(timer);
  }
}

/**
 * testcontainers' own detection: DOCKER_HOST (or docker.host / tc.host in ~/.testcontainers.properties),
 * /var/run/docker.sock, then the rootless and Docker Desktop sockets; true once one of them answers `docker info`.
 */
export async function containerRuntimeAnswers(): Promise<boolean> {
  const { getContainerRuntimeClient } = await import('testcontainers');
  try {
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}
