import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { throwError } from 'rxjs';
import { isTransientFailure } from '../database/transient-error';
import { CommonErrors, ErrorSpec, ProblemException, ReplayedResponse } from './problem';

const BY_STATUS: Record<number, ErrorSpec> = Object.fromEntries(
  Object.values(CommonErrors).map((spec) => [spec.status, spec]),
);

/** What body-parser and express raise before a route runs, as contract codes. */
function fromHttpError(error: HttpException | (Error & { status?: number; type?: string })): ProblemException {
  const status = error instanceof HttpException ? error.getStatus() : (error.status ?? 500);
  const type = (error as { type?: string }).type;
  if (type === 'entity.too.large' || status === 413) return new ProblemException(CommonErrors.PayloadTooLarge);
  if (type === 'entity.parse.failed') return new ProblemException(CommonErrors.MalformedJson);
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') return new ProblemException(CommonErrors.UnsupportedMediaType);
  if (status === 404) return new ProblemException(CommonErrors.NotFound);
  const spec = BY_STATUS[status] ?? (status >= 500 ? CommonErrors.Internal : { ...CommonErrors.ValidationFailed, status, code: 'bad_request', title: 'Bad request' });
  return new ProblemException(spec);
}

/** Any thrown value as the problem the caller gets. */
export function toProblemException(exception: unknown): ProblemException {
  if (exception instanceof ProblemException) return exception;
  if (exception instanceof HttpException || (exception instanceof Error && 'status' in exception)) return fromHttpError(exception as HttpException);
  // A starved pool, a deadlock or a statement timeout rolled the request's transaction back: it changed
  // nothing and may be retried (CONTRACT §1, overload), so it is not the caller's 500.
  if (isTransientFailure(exception)) return new ProblemException(CommonErrors.Overloaded, undefined, undefined, { 'Retry-After': '1' });
  return new ProblemException(CommonErrors.Internal);
}

/** The RFC 9457 document of a problem. */
export function problemBody(problem: ProblemException, instance?: string) {
  return {
    type: `https://recourse.dev/problems/${problem.spec.code}`,
    title: problem.spec.title,
    status: problem.spec.status,
    detail: problem.detail ?? problem.spec.title,
    code: problem.spec.code,
    ...(instance ? { instance } : {}),
    ...(problem.errors ? { errors: problem.errors } : {}),
  };
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/**
 * Renders every error as an RFC 9457 problem (application/problem+json) with a stable `code`. Unknown
 * errors become 500 `internal_error` with no detail: the stack goes to the log, never to the caller.
 * On the Kafka side (rpc) it hands the original error back so the consumer can retry or dead-letter it.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(exception: unknown, host: ArgumentsHost) {
    if (host.getType() !== 'http') return throwError(() => exception);
    const response = host.switchToHttp().getResponse<Response>();
    const request = host.switchToHttp().getRequest<Request>();
    if (exception instanceof ReplayedResponse) {
      response.setHeader('Idempotent-Replayed', 'true');
      response.status(exception.status).type(exception.contentType).send(JSON.stringify(exception.body));
      return;
    }
    const problem = toProblemException(exception);
    if (problem.spec.status >= 500) this.logger.error({ err: exception, path: request.path }, 'request failed');
    if (response.headersSent) return;
    for (const [name, value] of Object.entries(problem.headers ?? {})) response.setHeader(name, value);
    response.status(problem.spec.status).type(PROBLEM_CONTENT_TYPE).json(problemBody(problem, request.originalUrl?.split('?')[0]));
  }
}
