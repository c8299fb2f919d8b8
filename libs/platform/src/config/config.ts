import { parseDurationList, parseDurationMs } from '@recourse/contracts';
import { plainToInstance, Type } from 'class-transformer';
import {
  IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, registerDecorator, ValidateIf, ValidationError, validateSync,
} from 'class-validator';

/** An ISO 8601 duration setting such as `P7D` or `PT3S`. */
export function IsDuration() {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isDuration',
      target: target.constructor,
      propertyName,
      validator: {
        validate: (value: unknown) => typeof value === 'string' && parseDurationMs(value) !== null,
        defaultMessage: () => `${propertyName} must be an ISO 8601 duration such as P7D or PT30S`,
      },
    });
}

/** A comma-separated list of ISO 8601 durations, such as a retry schedule. */
export function IsDurationList() {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isDurationList',
      target: target.constructor,
      propertyName,
      validator: {
        validate: (value: unknown) => typeof value === 'string' && parseDurationList(value) !== null,
        defaultMessage: () => `${propertyName} must be a comma-separated list of ISO 8601 durations`,
      },
    });
}

const inProduction = (config: object) => (config as { NODE_ENV?: string }).NODE_ENV === 'production';

/**
 * Validates the setting when it is set, and requires it when NODE_ENV=production: a production service
 * must not accept tokens of any issuer or audience, nor fall back to the development key in KEYS_DIR.
 */
export function RequiredInProduction() {
  return (target: object, propertyName: string) => {
    ValidateIf((config: object, value: unknown) => value !== undefined || inProduction(config))(target, propertyName);
    registerDecorator({
      name: 'requiredInProduction',
      target: target.constructor,
      propertyName,
      validator: {
        validate: (value: unknown) => typeof value === 'string' && value.length > 0,
        defaultMessage: () => `${propertyName} is required when NODE_ENV=production`,
      },
    });
  };
}

/**
 * An http(s) URL of the token keys; in production required, and https only: keys fetched over plain http
 * could be swapped on the way, and with them every token accepted.
 */
export function JwksUrl() {
  const problem = (value: unknown, config: object): string | null => {
    if (value === undefined) return inProduction(config) ? 'is required when NODE_ENV=production' : null;
    if (typeof value !== 'string' || !/^https?:\/\//.test(value)) return 'must be an http(s) URL';
    if (inProduction(config) && !value.startsWith('https://')) return 'must be an https:// URL when NODE_ENV=production';
    return null;
  };
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'jwksUrl',
      target: target.constructor,
      propertyName,
      validator: {
        validate: (value: unknown, args) => problem(value, args?.object ?? {}) === null,
        defaultMessage: (args) => `${propertyName} ${problem(args?.value, args?.object ?? {})}`,
      },
    });
}

/** A number setting that must stay below another one: `why` says what breaks otherwise. */
export function IsBelowSetting(other: string, why: string) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isBelowSetting',
      target: target.constructor,
      propertyName,
      validator: {
        validate: (value: unknown, args) => typeof value === 'number' && value < Number((args?.object as Record<string, unknown>)[other]),
        defaultMessage: (args) => `${propertyName} (${args?.value}) must be below ${other} (${(args?.object as Record<string, unknown>)[other]}): ${why}`,
      },
    });
}

/** Settings every service reads. Each service extends it with its own. */
export class BaseConfig {
  @IsString()
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/recourse';

  @IsString()
  @Matches(/^[^,\s]+(,[^,\s]+)*$/, { message: 'KAFKA_BROKERS must be host:port[,host:port…]' })
  KAFKA_BROKERS = '127.0.0.1:9092';

  @Type(() => Number) @IsInt() @Min(1) @Max(256)
  KAFKA_TOPIC_PARTITIONS = 6;

  /**
   * Replicas of each topic the services create (and its dead-letter topics): 1 for the local single broker,
   * 3 on a cluster (`npm run kafka -- cluster`, production). From 3 up, each topic also gets
   * min.insync.replicas = a majority, so an acknowledged (acks=all) event survives the loss of a broker.
   */
  @Type(() => Number) @IsInt() @Min(1) @Max(7)
  KAFKA_REPLICATION_FACTOR = 1;

  /**
   * Partitions of each consumed topic a consumer takes at once from a fetch. Order holds within a partition
   * (one dispute's events share a key, so a partition); a topic's batches of one fetch are applied together,
   * one transaction at a time, and the topics side by side.
   */
  @IsBelowSetting('DATABASE_POOL_SIZE', 'each topic in flight holds a connection for its batches; HTTP requests and timers need the others')
  @Type(() => Number) @IsInt() @Min(1) @Max(256)
  KAFKA_CONSUMER_CONCURRENCY = 6;

  /**
   * A consumer's fetch waits until the broker holds this many bytes for it (or KAFKA_FETCH_MAX_WAIT passed).
   * 1 answers as soon as one record arrives: least latency per hop, but under load each hop then handles runs of
   * one or two events, each run its own transaction and offset commit. 64 KiB lets runs grow (fewer fetches,
   * transactions and commits) for at most KAFKA_FETCH_MAX_WAIT more per hop when traffic is light: at 100
   * disputes/s it took CPU per dispute from ~26 to ~19 ms and raised throughput (BENCHMARKS.md, session 8).
   */
  @Type(() => Number) @IsInt() @Min(1) @Max(52_428_800)
  KAFKA_FETCH_MIN_BYTES = 65_536;

  /**
   * The most record bytes a fetch brings back from one partition (a larger record batch still comes whole, so
   * nothing stalls). A consumer holds a fetch's batches until it has applied them, and a service catching up on a
   * backlog gets every partition's share at once: with kafkajs's default of 1 MiB a partition (up to 10 MiB a
   * fetch) investigation peaked at 183–192 MB in the bench's overload run, at 169–173 MB with 128–256 KiB. Smaller
   * fetches cost catch-up speed (25,200 payments preloaded in 6.0–6.3 s at 1 MiB, 6.8 at 256 KiB, 8.2–8.7 at
   * 128 KiB). A bound per partition, not per fetch, keeps each partition's share, so no topic waits behind another.
   */
  @Type(() => Number) @IsInt() @Min(16_384) @Max(10_485_760)
  KAFKA_FETCH_MAX_BYTES_PER_PARTITION = 262_144;

  /** The longest a fetch waits for KAFKA_FETCH_MIN_BYTES (an idle consumer asks again after it). */
  @IsDuration()
  KAFKA_FETCH_MAX_WAIT = 'PT0.2S';

  /** Postgres connections per process; the HTTP requests and the concurrent partitions share them. */
  @Type(() => Number) @IsInt() @Min(1) @Max(200)
  DATABASE_POOL_SIZE = 10;

  /**
   * How long a query waits for a connection of the pool (or for a new one to open) before it fails. A
   * starved pool then fails fast, and a consumer retries the event, instead of hanging.
   */
  @IsDuration()
  DATABASE_CONNECTION_TIMEOUT = 'PT10S';

  /** The service's consumer group; defaults to the service's name. Tests use their own. */
  @IsOptional() @Matches(/^[A-Za-z0-9._-]{1,100}$/, { message: 'KAFKA_GROUP_ID may hold letters, digits, . _ -' })
  KAFKA_GROUP_ID?: string = undefined;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** PEM of the public key that verifies bearer tokens, when JWT_JWKS_URL is unset; else `${KEYS_DIR}/jwt-public.pem`. */
  @IsOptional() @IsString()
  JWT_PUBLIC_KEY?: string = undefined;

  @JwksUrl()
  JWT_JWKS_URL?: string = undefined;

  @IsString()
  KEYS_DIR = '.keys';

  @RequiredInProduction()
  JWT_ISSUER?: string = undefined;

  @RequiredInProduction()
  JWT_AUDIENCE?: string = undefined;

  /** `production` (the Docker image's default) makes JWT_ISSUER, JWT_AUDIENCE and an https JWT_JWKS_URL required. */
  @IsOptional() @IsString()
  NODE_ENV?: string = undefined;

  /**
   * `true`: every parameterised statement runs as a named prepared statement on its connection (parsed once
   * per connection, planned generically once seen a few times; see prepareStatements). `false` for a
   * connection pooler in transaction mode that cannot keep prepared statements across transactions.
   */
  @IsIn(['true', 'false'])
  DATABASE_PREPARED_STATEMENTS = 'true';

  @IsIn(['true', 'false'])
  MIGRATE_ON_BOOT = 'true';

  /** `true`: migrate the service's schema and exit, without Kafka or HTTP (a migration Job before a rollout). */
  @IsIn(['true', 'false'])
  MIGRATE_ONLY = 'false';

  /**
   * HTTP requests one process runs at once (CONTRACT §1 overload); more wait up to HTTP_QUEUE_TIMEOUT, then
   * are refused with 503 `overloaded` and Retry-After. Sized so that waiting for the DATABASE_POOL_SIZE
   * connections stays short; 0 turns admission control off. Health, metrics and docs are never refused.
   */
  @Type(() => Number) @IsInt() @Min(0) @Max(10_000)
  HTTP_MAX_IN_FLIGHT = 64;

  /** How long a request may wait for one of the HTTP_MAX_IN_FLIGHT slots before it is refused (PT0S: not at all). */
  @IsDuration()
  HTTP_QUEUE_TIMEOUT = 'PT0.25S';

  /**
   * How long an idle keep-alive connection stays open. Node's default (5 s) is shorter than the idle timeout of
   * the clients and proxies in front of a service (60 s for most load balancers and ingresses): one of them
   * reusing a connection at the moment the service closes it gets a reset instead of an answer, and cannot tell
   * whether its request ran. Longer than theirs, the client closes first. Request headers must arrive within
   * this plus a second.
   */
  @IsDuration()
  HTTP_KEEP_ALIVE_TIMEOUT = 'PT65S';

  /**
   * Above this mean event-loop delay (over 0.5 s) the CPU cannot keep up, whatever HTTP_MAX_IN_FLIGHT
   * allows: the number of requests let in at once halves each 0.5 s, and grows back once the loop keeps
   * up. PT0S ignores the loop.
   */
  @IsDuration()
  HTTP_MAX_EVENT_LOOP_DELAY = 'PT0.1S';

  /**
   * Request body bytes one process reads, parses and decodes at once (issue 16: at most 200 MB RSS per
   * service). Admitted by Content-Length before the body is read; a body that does not fit waits up to
   * HTTP_BODY_QUEUE_TIMEOUT, then is refused with 503 `overloaded` and Retry-After. A body larger than the
   * budget (up to the 36 MiB limit) is read alone. Measured (then with a script, now the bench's M phase): a JSON body
   * costs intake up to ~9 bytes of RSS per byte at its peak (raw bytes, text, parsed strings, decoded
   * attachments, the database's copy, before the garbage collector catches up) over an idle ~135 MB, so
   * 8 MiB keeps bodies that fit together near 200 MB. 0 turns the budget off.
   */
  @Type(() => Number) @IsInt() @Min(0)
  HTTP_BODY_BYTES_IN_FLIGHT = 8 * 1024 * 1024;

  /** How long a request may wait for room in HTTP_BODY_BYTES_IN_FLIGHT before it is refused (PT0S: not at all). */
  @IsDuration()
  HTTP_BODY_QUEUE_TIMEOUT = 'PT2S';

  /**
   * A port of its own for /health/live and /health/ready, answered by a thread of its own, for the
   * orchestrator's probes: a busy service accepts new connections on its own port slowly (one per event
   * loop turn), and a late probe takes a pod that is shedding load out of rotation (see ProbePort). 0: the
   * service port only. The k8s manifests set it; the service port keeps serving both routes.
   */
  @Type(() => Number) @IsInt() @Min(0) @Max(65_535)
  HEALTH_PORT = 0;

  /** Writes per caller per minute; 0 turns the limit off. Intake sets 60 (CONTRACT §4). */
  @Type(() => Number) @IsInt() @Min(0)
  RATE_LIMIT_PER_MINUTE = 0;

  /**
   * How long consumed event ids stay in the inbox: longer than the brokers keep events (our brokers:
   * `log.retention.hours=168`, 7 days), since an event Kafka no longer holds cannot be redelivered.
   */
  @IsDuration()
  INBOX_RETENTION = 'P8D';

  /** How often the retention pruner empties what has outlived its use (inbox, expired keys, past rate windows). */
  @IsDuration()
  RETENTION_PRUNE_INTERVAL = 'PT1H';

  /**
   * How often the outbox relay looks for rows when nothing woke it. A commit in this process wakes it at
   * once; rows committed by another replica (or by hand) wait for this poll.
   */
  @IsDuration()
  OUTBOX_POLL_INTERVAL = 'PT0.1S';
}

export class ConfigError extends Error {}

function describe(errors: ValidationError[]): string {
  return errors
    .flatMap((error) => Object.values(error.constraints ?? {}).map((message) => (message.startsWith(error.property) ? message : `${error.property}: ${message}`)))
    .join('; ');
}

/**
 * Reads and validates the environment into `configClass`. Unset variables keep the class's defaults;
 * empty strings count as unset. Throws ConfigError with one line naming every bad setting.
 */
export function readConfig<T extends object>(configClass: new () => T, env: NodeJS.ProcessEnv = process.env): T {
  const defaults = new configClass() as Record<string, unknown>;
  const raw: Record<string, unknown> = { ...defaults };
  // Optional settings are declared `= undefined` so that every setting is a key of the defaults.
  for (const key of Object.keys(defaults)) {
    const value = env[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const config = plainToInstance(configClass, raw);
  const errors = validateSync(config, { whitelist: false, skipMissingProperties: false });
  if (errors.length) throw new ConfigError(`invalid configuration: ${describe(errors)}`);
  return config;
}

/** At boot: a bad or missing setting stops the process with one clear line, no stack trace. */
export function loadConfigOrExit<T extends object>(service: string, configClass: new () => T): T {
  try {
    return readConfig(configClass);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${service}: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

/** The clocks that protect customers (CONTRACT §5), for the services that compute deadlines. */
export class DisputeClockConfig extends BaseConfig {
  @IsDuration()
  SLA_MERCHANT_RESPONSE = 'P7D';

  @IsDuration()
  SLA_PROVISIONAL_CREDIT = 'P10D';

  @IsDuration()
  SLA_RESOLUTION = 'P45D';

  @IsDuration()
  APPEAL_WINDOW = 'P30D';

  /** `business` counts whole days of the SLAs in business days (Regulation E), skipping SLA_HOLIDAYS. */
  @IsIn(['calendar', 'business'])
  SLA_CALENDAR: 'calendar' | 'business' = 'calendar';

  @Matches(/^(\d{4}-\d{2}-\d{2}(,\d{4}-\d{2}-\d{2})*)?$/, { message: 'SLA_HOLIDAYS must be a comma-separated list of YYYY-MM-DD dates' })
  SLA_HOLIDAYS = '';

  /** The durations in milliseconds (validated at boot, so they parse) and the calendar they count in. */
  clocks() {
    const ms = (text: string) => parseDurationMs(text) as number;
    const holidays: ReadonlySet<string> = new Set(this.SLA_HOLIDAYS.split(',').filter(Boolean));
    const calendar = this.SLA_CALENDAR === 'business' ? { kind: 'business' as const, holidays } : { kind: 'calendar' as const };
    return {
      merchantResponseMs: ms(this.SLA_MERCHANT_RESPONSE),
      provisionalCreditMs: ms(this.SLA_PROVISIONAL_CREDIT),
      resolutionMs: ms(this.SLA_RESOLUTION),
      appealWindowMs: ms(this.APPEAL_WINDOW),
      calendar,
      holidays,
    };
  }
}
