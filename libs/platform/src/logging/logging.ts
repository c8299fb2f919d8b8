import { Params } from 'nestjs-pino';
import pino, { DestinationStream, Logger } from 'pino';

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

/** The service's root logger: JSON lines on stdout (or `destination`), `service` on each, the paths above redacted. */
export function serviceLogger(service: string, level: string, destination?: DestinationStream): Logger {
  return pino({ level, base: { service }, redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, destination);
}

/**
 * nestjs-pino over `logger`, in `useExisting` mode: RequestLogging (bootstrap's last middleware) gives each
 * request its logger, and nestjs-pino keeps it in scope while the request runs.
 */
export function loggerParams(logger: Logger): Params {
  return { pinoHttp: { logger }, useExisting: true };
}
