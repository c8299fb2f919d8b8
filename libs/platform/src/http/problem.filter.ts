import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { throwError } from 'rxjs';
import { CommonErrors, ErrorSpec, ProblemException } from './problem';

const BY_STATUS: Record<number, ErrorSpec> = Object.fromEntries(
  Object.values(CommonErrors).map((spec) => [spec.status, spec]),
);

/** What body-parser and express raise before a route runs, as contract codes. */
function fromHttpError(error: HttpException | (Error & { status?: number; type?: string })): ProblemException {
  const status = error instanceof HttpException ? error.getStatus() : (error.status ?? 500);
  const type = (error as { type?: string }).type;
  if (type === 'entity.too.large' || status === 413) return new ProblemException(CommonErrors.PayloadTooLarge);
  if (type === 'entity.parse.failed') return new ProblemException(CommonErrors.MalformedJson);
  if (status === 404) return new ProblemException(CommonErrors.NotFound);
  const spec = BY_STATUS[status] ?? (status >= 500 ? CommonErrors.Internal : { ...CommonErrors.ValidationFailed, status, code: 'bad_request', title: 'Bad request' });
  return new ProblemException(spec);
}

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
    let problem: ProblemException;
    if (exception instanceof ProblemException) problem = exception;
    else if (exception instanceof HttpException || (exception instanceof Error && 'status' in exception)) {
      problem = fromHttpError(exception as HttpException);
    } else problem = new ProblemException(CommonErrors.Internal);
    if (problem.spec.status >= 500) {
      this.logger.error({ err: exception, path: request.path }, 'request failed');
    }
    if (response.headersSent) return;
    for (const [name, value] of Object.entries(problem.headers ?? {})) response.setHeader(name, value);
    response
      .status(problem.spec.status)
      .type('application/problem+json')
      .json({
        type: `https://recourse.dev/problems/${problem.spec.code}`,
        title: problem.spec.title,
        status: problem.spec.status,
        detail: problem.detail ?? problem.spec.title,
        code: problem.spec.code,
        instance: request.originalUrl?.split('?')[0],
        ...(problem.errors ? { errors: problem.errors } : {}),
      });
  }
}
