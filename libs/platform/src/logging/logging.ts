import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Params } from 'nestjs-pino';

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

export function loggerParams(service: string, level: string): Params {
  return {
    pinoHttp: {
      level,
      base: { service },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      genReqId: (request: IncomingMessage) => (request.headers['x-request-id'] as string | undefined) ?? randomUUID(),
      customLogLevel: (_request, response, error) => (error || response.statusCode >= 500 ? 'error' : response.statusCode >= 400 ? 'warn' : 'info'),
      // Health probes and scrapes would drown everything else.
      autoLogging: { ignore: (request) => /^\/(health|metrics)/.test(request.url ?? '') },
      serializers: {
        req: (request: { id: string; method: string; url: string }) => ({ id: request.id, method: request.method, url: request.url }),
        res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
      },
    },
  };
}
