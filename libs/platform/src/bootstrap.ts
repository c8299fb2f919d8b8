import type { Server } from 'node:http';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import type { NextFunction, Request, Response } from 'express';
import { parseDurationMs } from '@recourse/contracts';
import { AdmissionControl, BodyBudget } from './http/admission';
import { gateBeforeExpress } from './http/before-express';
import { CommonErrors, ProblemException } from './http/problem';
import { problemBody, PROBLEM_CONTENT_TYPE } from './http/problem.filter';
import { RouteRefusals } from './http/route-refusals';
import { rejectDangerousJson } from './http/json-shape';
import { streamedAttachmentBodies } from './http/streamed-body';
import { createValidationPipe } from './http/validation';
import { RequestLogging } from './logging/request-logging';
import { withSharedProblems } from './http/openapi';
import { BaseConfig, readConfig } from './config/config';
import { migrateOnly } from './database/migrate-only';
import { observeHttpDuration } from './metrics/http-metrics';
import { initMetrics } from './metrics/metrics';
import { KafkaEventServer } from './messaging/kafka-event-server';
import { startTracing } from './tracing/sdk';
import { useLeanAsyncResourceBind } from './runtime/async-resource-bind';

export interface BootOptions {
  name: string;
  title: string;
  description: string;
  module: unknown;
  port: number;
}

/** Contract §1: request bodies over 36 MiB answer 413. */
export const BODY_LIMIT = '36mb';
const BODY_LIMIT_BYTES = 36 * 1024 * 1024;

/** A body sent as anything but JSON would reach validation empty: say what is wrong instead (415). */
function requireJsonBodies(request: Request, response: Response, next: NextFunction): void {
  const hasBody = Number(request.headers['content-length'] ?? 0) > 0 || request.headers['transfer-encoding'] !== undefined;
  if (!hasBody || !['POST', 'PUT', 'PATCH'].includes(request.method) || request.is('application/json')) return next();
  response.status(415).type(PROBLEM_CONTENT_TYPE).json(problemBody(new ProblemException(CommonErrors.UnsupportedMediaType, 'send the body as application/json'), request.path));
}

/** Builds the HTTP app and its Kafka consumer; shared by main.ts and the integration tests. */
export async function createServiceApp(options: Omit<BootOptions, 'port'>): Promise<INestApplication> {
  initMetrics(options.name);
  startTracing(options.name);
  // Before the first request: Nest's interceptor chain binds with it twice a request.
  useLeanAsyncResourceBind();
  const app = await NestFactory.create<NestExpressApplication>(options.module as never, { bufferLogs: true, bodyParser: false });
  app.useLogger(app.get(Logger));
  const config = app.get(BaseConfig);
  const server = app.getHttpServer() as Server;
  server.keepAliveTimeout = parseDurationMs(config.HTTP_KEEP_ALIVE_TIMEOUT) as number;
  server.headersTimeout = server.keepAliveTimeout + 1_000;
  // Before Express, after the timer: a request refused for overload costs no Express, body parsing, auth
  // or database work. Route refusals (a filing while the pipeline is behind) before admission control:
  // such a request is refused at once, never after waiting for a slot it would not use.
  const admission = new AdmissionControl(
    config.HTTP_MAX_IN_FLIGHT, parseDurationMs(config.HTTP_QUEUE_TIMEOUT) as number, parseDurationMs(config.HTTP_MAX_EVENT_LOOP_DELAY) as number,
  );
  gateBeforeExpress(server, [observeHttpDuration, app.get(RouteRefusals).middleware, admission.middleware]);
  // Then the bytes: a body is read only once the process has room for it.
  const bodyBudget = new BodyBudget(config.HTTP_BODY_BYTES_IN_FLIGHT, BODY_LIMIT_BYTES, config.HTTP_MAX_IN_FLIGHT, parseDurationMs(config.HTTP_BODY_QUEUE_TIMEOUT) as number);
  app.use(bodyBudget.middleware);
  app.use(requireJsonBodies);
  // The routes that take attachments parse their bodies as they stream (issue 16); body-parser then skips them.
  app.use(streamedAttachmentBodies(BODY_LIMIT_BYTES));
  app.useBodyParser('json', { limit: BODY_LIMIT });
  app.use(rejectDangerousJson);
  // Last: a request refused above is not logged as one served.
  app.use(app.get(RequestLogging).middleware);
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  app.disable('x-powered-by');
  const document = withSharedProblems(SwaggerModule.createDocument(
    app,
    new DocumentBuilder().setTitle(options.title).setDescription(options.description).setVersion('1').addBearerAuth().build(),
  ));
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  app.connectMicroservice({ strategy: app.get(KafkaEventServer) }, { inheritAppConfig: true });
  // init first: migrations and topic creation (onModuleInit) must precede the consumer joining its group.
  await app.init();
  await app.startAllMicroservices();
  return app;
}

/**
 * main.ts of every service. A failure to start (database unreachable, port taken, bad key) is one line on
 * stderr and a non-zero exit, never a stack trace.
 */
export async function bootstrapService(options: BootOptions): Promise<void> {
  try {
    if (readConfig(BaseConfig).MIGRATE_ONLY === 'true') {
      const applied = await migrateOnly(options.module, options.name);
      process.stdout.write(`${options.name}: migrated (${applied.length ? applied.join(', ') : 'already up to date'})\n`);
      process.exit(0);
    }
    const app = await createServiceApp(options);
    await app.listen(options.port, '0.0.0.0');
    process.stdout.write(`${options.name}: listening on http://127.0.0.1:${options.port}\n`);
  } catch (error) {
    process.stderr.write(`${options.name}: cannot start: ${describeStartError(error, options.port)}\n`);
    if (process.env.LOG_LEVEL === 'debug' || process.env.LOG_LEVEL === 'trace') process.stderr.write(`${(error as Error).stack}\n`);
    process.exit(1);
  }
}

function describeStartError(error: unknown, port: number): string {
  const code = (error as { code?: string }).code;
  if (code === 'EADDRINUSE') return `port ${port} is already in use`;
  if (code === 'ECONNREFUSED') return `connection refused (${(error as { address?: string; port?: number }).address}:${(error as { port?: number }).port}); is Postgres running?`;
  if (code === '3D000') return `${(error as Error).message}; run \`npm start\` to create it`;
  return error instanceof Error ? error.message : String(error);
}
