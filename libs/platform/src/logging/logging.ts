import { Params } from 'nestjs-pino';
import pino, { DestinationStream, Logger } from 'pino';
import { requestBindings } from './request-logging';

/**
 * Paths pino blanks out: tokens, secrets, contact details and attachment bodies never reach a log line.
 * Wildcards cover them wherever they nest in a logged object, up to three levels deep.
 */
const SENSITIVE = [
  'authorization', 'cookie', 'secret', 'token', 'password', 'phone', 'email', 'contact', 'contentBase64', 'privateKey',
  // A failed query's bound values (TypeORM's QueryFailedError.parameters, logged with the error): webhook
  // secrets, attachment bytes, free text. The query itself stays in the log.
  'parameters',
];
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  ...SENSITIVE.flatMap((key) => [key, `*.${key}`, `*.*.${key}`, `*.*.*.${key}`]),
];

/**
 * The service's root logger: JSON lines on stdout (or `destination`), `service` on each, `reqId` on those
 * written while a request runs (RequestLogging), the paths above redacted.
 */
export function serviceLogger(service: string, level: string, destination?: DestinationStream): Logger {
  return pino({ level, base: { service }, mixin: requestBindings, redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, destination);
}

/**
 * nestjs-pino over `logger`, in `useExisting` mode, for Nest's own lines. Its per-request middleware is left
 * out (no routes): RequestLogging puts each request's id in scope instead, and one AsyncLocalStorage in use
 * fewer is one copy fewer on every promise a request creates.
 */
export function loggerParams(logger: Logger): Params {
  return { pinoHttp: { logger }, useExisting: true, forRoutes: [] };
}
