// `npm run bench`'s options and fixed resources (see tools/bench/run.ts for what each phase measures).
import { SERVICES, ServiceName } from '@recourse/client';
import { databaseUrl } from '@recourse/testing';
import { fail, option, parseArgs } from '../lib/cli';

export const USAGE = `npm run bench [-- --quick] [--no-build] [--profile] [--rates 100,200,400] [--e-seconds 60] [--e-warmup 60] [--replicas 2]
              [--connections 32] [--partitions 6] [--log-level warn] [--only B,I,E,M,O] [--out results.json]
              [--soak 300] [--sustained 400] [--i-payments N] [--incident-size 5000]
Environment: BENCH_KAFKA_PORT (29092), BENCH_KAFKA_HOME (/tmp/recourse-bench-kafka), BENCH_DB (recourse_bench),
BENCH_ADMIN_URL (postgres://postgres@127.0.0.1:5432/postgres), BENCH_PORT_BASE (4700).`;

export const args = parseArgs(process.argv.slice(2), ['quick', 'no-build', 'profile', 'help']);
if (args.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const number = (name: string, fallback: number) => Number(option(args, name) ?? fallback);

export const quick = Boolean(args.quick);
export const only = new Set((option(args, 'only') ?? 'B,I,E,M,O,N').split(',').map((phase) => phase.trim().toUpperCase()));
export const CONNECTIONS = number('connections', 32);
export const WARMUP_MS = quick ? 1_500 : 3_000;
export const CLOSED_MS = (quick ? 5 : 15) * 1000;
export const PROFILE_MS = (quick ? 4 : 10) * 1000;
// --soak S: one E rate held for S seconds ("load held" of issue 8), reported in 30-s windows to show that
// latency and memory stay flat.
export const SOAK_S = args.soak === undefined ? 0 : number('soak', 0);
export const SOAK_WINDOW_MS = 30_000;
export const E_MS = (SOAK_S || number('e-seconds', quick ? 10 : 60)) * 1000;
// E's warm-up: the first rate for this long before anything is measured, so that the figures are a warm
// platform's. A cold broker spends its first minutes compiling (HotSpot's JIT threads took 64 % of its CPU
// over 20 s of E right after start, 27 % after a minute of load), and the services' V8 likewise: costs no
// long-running deployment pays per dispute.
export const E_WARMUP_MS = number('e-warmup', quick ? 20 : 60) * 1000;
export const RATES = (option(args, 'rates') ?? (SOAK_S ? '20' : quick ? '100' : '100,200,400,500,600')).split(',').map(Number).slice(0, SOAK_S ? 1 : undefined);
export const REPLICAS = number('replicas', 1);
export const I_PAYMENTS = number('i-payments', quick ? 2_500 : 6_000);
/** N: how many disputes the mass incident holds (issue 21 asks for 5,000 within a minute). */
export const INCIDENT_SIZE = number('incident-size', quick ? 1_000 : 5_000);
export const PARTITIONS = option(args, 'partitions') ?? process.env.KAFKA_TOPIC_PARTITIONS ?? '6';
export const LOG_LEVEL = option(args, 'log-level') ?? 'warn';
export const SUSTAINED = option(args, 'sustained');
// M: the sustained rate for a while, the four filings a third of the way in (load before them, and after).
export const M_MS = Math.min(E_MS, 20_000);
export const M_FILINGS = 4;
// A refused filing is sent again after its Retry-After, up to this many times (then its 503 counts against M).
export const M_FILING_RETRIES = 10;
export const O_FACTORS = [3, 5];
export const HEALTH_PROBE_MS = 500;
// A drain ends when every accepted dispute is refunded or none has been for this long (the rest are lost).
export const DRAIN_IDLE_MS = quick ? 10_000 : 20_000;
export const SETTLE_IDLE_MS = 30_000;
export const RSS_TARGET_MB = 200;
// The bench's fixed resources, overridable so that two benches can share a machine.
export const KAFKA_PORT = Number(process.env.BENCH_KAFKA_PORT ?? 29092);
export const BROKERS = `127.0.0.1:${KAFKA_PORT}`;
export const KAFKA_HOME = process.env.BENCH_KAFKA_HOME ?? '/tmp/recourse-bench-kafka';
/** The bench broker's JMX port, for its request counts (KafkaRequests.java). */
export const KAFKA_JMX_PORT = KAFKA_PORT + 2;
export const JMX_OPTS = [
  `-Dcom.sun.management.jmxremote.port=${KAFKA_JMX_PORT}`, `-Dcom.sun.management.jmxremote.rmi.port=${KAFKA_JMX_PORT}`,
  '-Dcom.sun.management.jmxremote.authenticate=false', '-Dcom.sun.management.jmxremote.ssl=false', '-Djava.rmi.server.hostname=127.0.0.1',
].join(' ');

export const DB = process.env.BENCH_DB ?? 'recourse_bench';
if ((only.has('M') || only.has('O')) && !only.has('E') && !SUSTAINED) fail('M and O run at the rate E sustained: include E in --only, or give --sustained R');
// Interpolated into DROP/CREATE DATABASE and matched in Postgres' process titles: a plain identifier only.
if (!/^[a-z_][a-z0-9_]*$/.test(DB)) fail(`BENCH_DB must be a lower-case SQL identifier, not ${DB}`);
export const ADMIN_URL = process.env.BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const DATABASE_URL = databaseUrl(ADMIN_URL, DB);
export const BASELINE_PORT = Number(process.env.BENCH_PORT_BASE ?? 4700);
export const portOf = (name: ServiceName, replica: number): number => BASELINE_PORT + 1 + SERVICES.indexOf(name) + 10 * replica;
/** A service's HEALTH_PORT, where the bench probes it as an orchestrator would (4801… for 4701…). */
export const HEALTH_PORT_OFFSET = 100;
export const PAYMENT_SCHEMAS = ['intake', 'investigation']; // refund learns a payment from case.decided, not from wallet.payments.v1
export const PROFILE_DIR = '/tmp/prof';
export const RUN = Date.now().toString(36);

export const log = (line: string): void => void process.stdout.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
