import { ValidationPipe } from '@nestjs/common';
import { validationProblem } from './problem';

/** Validation at the HTTP edge: unknown fields are refused, not dropped; every bad field is listed. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => validationProblem(errors),
  });
}
