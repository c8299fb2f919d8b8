import { ValidationError } from 'class-validator';

/** A stable error of the contract: machine code, HTTP status and a short human title. */
export interface ErrorSpec {
  code: string;
  status: number;
  title: string;
}

export interface FieldError {
  field: string;
  code: string;
  message: string;
}

/**
 * An expected outcome that the caller must hear about as an RFC 9457 problem. Use cases throw it with a
 * feature's ErrorSpec; the ProblemFilter renders it. It carries no HTTP types, so use cases stay plain.
 */
export class ProblemException extends Error {
  constructor(
    readonly spec: ErrorSpec,
    readonly detail?: string,
    readonly errors?: FieldError[],
    readonly headers?: Record<string, string>,
  ) {
    super(detail ?? spec.title);
  }
}

/**
 * The stored first response to a request repeated with the same Idempotency-Key. Thrown so that the
 * ProblemFilter writes it as it was (status, content type, body): Nest would otherwise apply the route's
 * own status code to it.
 */
export class ReplayedResponse extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly contentType: string,
  ) {
    super('replayed response');
  }
}

/** Errors every service shares. Features declare their own next to their code. */
export const CommonErrors = {
  ValidationFailed: { code: 'validation_failed', status: 400, title: 'The request is not valid' },
  MalformedJson: { code: 'malformed_json', status: 400, title: 'The request body is not valid JSON' },
  Unauthorized: { code: 'unauthorized', status: 401, title: 'A valid bearer token is required' },
  Forbidden: { code: 'forbidden', status: 403, title: 'Your role may not do this' },
  NotFound: { code: 'not_found', status: 404, title: 'Not found' },
  MethodNotAllowed: { code: 'method_not_allowed', status: 405, title: 'Method not allowed' },
  Conflict: { code: 'conflict', status: 409, title: 'Conflict' },
  PayloadTooLarge: { code: 'payload_too_large', status: 413, title: 'The request body is too large' },
  UnsupportedMediaType: { code: 'unsupported_media_type', status: 415, title: 'Unsupported media type' },
  RateLimited: { code: 'rate_limited', status: 429, title: 'Too many requests' },
  Internal: { code: 'internal_error', status: 500, title: 'Something went wrong on our side' },
  Unavailable: { code: 'service_unavailable', status: 503, title: 'Service unavailable' },
  Overloaded: { code: 'overloaded', status: 503, title: 'Too busy to take this request now; retry it' },
} as const satisfies Record<string, ErrorSpec>;

function fieldErrors(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([code, message]) => ({
      field,
      code: code === 'whitelistValidation' ? 'unknown_field' : code.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase(),
      message: code === 'whitelistValidation' ? `${field} is not a known field` : message,
    }));
    return own.concat(fieldErrors(error.children ?? [], field));
  });
}

/** class-validator's errors as one `validation_failed` problem listing every offending field. */
export function validationProblem(errors: ValidationError[]): ProblemException {
  return new ProblemException(CommonErrors.ValidationFailed, 'One or more fields are invalid', fieldErrors(errors));
}
