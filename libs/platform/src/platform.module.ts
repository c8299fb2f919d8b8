import { DynamicModule, Global, Module, OnApplicationBootstrap, OnApplicationShutdown, OnModuleInit, Inject, Injectable } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, HttpAdapterHost, ModulesContainer } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { parseDurationMs } from '@recourse/contracts';
import { LoggerModule } from 'nestjs-pino';
import { DataSource, DataSourceOptions } from 'typeorm';
import { AuthGuard } from './auth/auth.guard';
import { JwtVerifier } from './auth/jwt-verifier';
import { BaseConfig } from './config/config';
import { dataSourceOptions, migrate } from './database/database';
import { prepareStatements } from './database/prepared-statements';
import { RetentionPruner } from './database/retention';
import { rows, sql } from './database/sql';
import { HealthController } from './health/health.controller';
import { ProbePort } from './health/probe-port';
import { Readiness } from './health/readiness';
import { IdempotencyInterceptor } from './http/idempotency';
import { ProblemFilter } from './http/problem.filter';
import { RateLimitGuard } from './http/rate-limit.guard';
import { RouteRefusals } from './http/route-refusals';
import { loggerParams, serviceLogger } from './logging/logging';
import { RequestLogging } from './logging/request-logging';
import { MetricsController } from './metrics/metrics.controller';
import { consumedTopics, controllersOf } from './messaging/consumed-topics';
import { Inbox } from './messaging/inbox';
import { KafkaBus } from './messaging/kafka-bus';
import { KafkaEventServer } from './messaging/kafka-event-server';
import { Outbox } from './messaging/outbox';
import { OutboxRelay } from './messaging/outbox-relay';
import { SERVICE_INFO, ServiceInfo } from './messaging/service-info';
import { TracingShutdown } from './tracing/sdk';
import { BackgroundWorkers } from './workers/background-workers';

export interface ServiceDefinition<C extends BaseConfig> extends Omit<ServiceInfo, 'groupId' | 'consumes'> {
  config: C;
  /** The service's own config class, so its use cases can inject their settings by type. */
  configClass: new () => C;
  entities: DataSourceOptions['entities'];
  migrations: DataSourceOptions['migrations'];
}

/** Migrates the service's schema before anything else touches it, and reports the database in readiness. */
@Injectable()
class DatabaseLifecycle implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: BaseConfig,
    @Inject(SERVICE_INFO) private readonly service: ServiceInfo,
    readiness: Readiness,
  ) {
    if (config.DATABASE_PREPARED_STATEMENTS === 'true') prepareStatements(dataSource);
    readiness.register('database', async () => (await rows(this.dataSource, sql`SELECT 1`)).length === 1);
  }

  async onModuleInit(): Promise<void> {
    if (this.config.MIGRATE_ON_BOOT === 'true') await migrate(this.dataSource, this.service.name);
  }
}

/** HEALTH_PORT: the probes' own port and thread, once the service is up (ProbePort). */
@Injectable()
class ProbePortLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private probePort?: ProbePort;

  constructor(
    private readonly config: BaseConfig,
    private readonly readiness: Readiness,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.HEALTH_PORT === 0) return;
    // The probe port answers before the service port listens (it starts as the app initialises): not
    // ready until it does, or traffic would be routed to a port still closed.
    this.readiness.register('http', () => this.adapterHost.httpAdapter?.getHttpServer()?.listening === true);
    this.probePort = new ProbePort(this.readiness, { port: this.config.HEALTH_PORT });
    await this.probePort.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.probePort?.stop();
  }
}

/**
 * The plumbing every Recourse service shares: config, logging with redaction, its Postgres schema, JWT
 * auth with roles on every route, RFC 9457 problems, health, metrics, the Kafka bus, outbox and inbox.
 */
@Global()
@Module({})
export class PlatformModule {
  static forService<C extends BaseConfig>(definition: ServiceDefinition<C>): DynamicModule {
    const groupId = definition.config.KAFKA_GROUP_ID ?? definition.name;
    const logger = serviceLogger(definition.name, definition.config.LOG_LEVEL);
    return {
      module: PlatformModule,
      imports: [
        LoggerModule.forRoot(loggerParams(logger)),
        TypeOrmModule.forRoot({
          ...dataSourceOptions({
            url: definition.config.DATABASE_URL,
            schema: definition.name,
            entities: definition.entities,
            migrations: definition.migrations,
            poolSize: definition.config.DATABASE_POOL_SIZE,
            connectionTimeoutMs: parseDurationMs(definition.config.DATABASE_CONNECTION_TIMEOUT) as number,
          }),
          retryAttempts: 1,
          retryDelay: 1_000,
        }),
      ],
      controllers: [HealthController, MetricsController],
      providers: [
        {
          provide: SERVICE_INFO,
          // Made once every module is scanned, before any provider starts: the bus creates the dead-letter
          // topics of what the service consumes, the consumer subscribes to it, the metrics report its lag.
          useFactory: (modules: ModulesContainer): ServiceInfo => ({ name: definition.name, groupId, consumes: consumedTopics(controllersOf(modules)) }),
          inject: [ModulesContainer],
        },
        { provide: BaseConfig, useValue: definition.config },
        { provide: definition.configClass, useValue: definition.config },
        { provide: JwtVerifier, useFactory: () => JwtVerifier.fromConfig(definition.config) },
        // Guards run in this order: who is calling, then how often they write.
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_GUARD, useClass: RateLimitGuard },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
        { provide: APP_FILTER, useClass: ProblemFilter },
        Readiness,
        // A value, not a class: bootstrap mounts its middleware before the app initialises (and in the
        // OpenAPI generator's preview mode, where class providers are never made).
        { provide: RouteRefusals, useValue: new RouteRefusals() },
        { provide: RequestLogging, useValue: new RequestLogging(logger) },
        BackgroundWorkers,
        DatabaseLifecycle,
        ProbePortLifecycle,
        KafkaBus,
        Outbox,
        OutboxRelay,
        TracingShutdown,
        RetentionPruner,
        Inbox,
        {
          provide: KafkaEventServer,
          useFactory: (info: ServiceInfo, bus: KafkaBus, readiness: Readiness, dataSource: DataSource, inbox: Inbox) =>
            new KafkaEventServer(bus, info.groupId, info.consumes, readiness, dataSource, inbox, { concurrency: definition.config.KAFKA_CONSUMER_CONCURRENCY }),
          inject: [SERVICE_INFO, KafkaBus, Readiness, DataSource, Inbox],
        },
      ],
      exports: [SERVICE_INFO, BaseConfig, definition.configClass, Readiness, RouteRefusals, BackgroundWorkers, KafkaBus, Outbox, Inbox, KafkaEventServer, JwtVerifier],
    };
  }
}
