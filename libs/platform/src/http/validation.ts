import { ArgumentMetadata, ValidationPipe, ValidationPipeOptions } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { ClassType, CompiledValidator, compileValidator } from '../messaging/compiled-validator';
import { validationProblem } from './problem';

/** Validation at the HTTP edge: unknown fields are refused, not dropped; every bad field is listed. */
export const EDGE_VALIDATION: ValidationPipeOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  transform: true,
  validationError: { target: false, value: false },
  exceptionFactory: (errors) => validationProblem(errors),
};

/**
 * Nest's ValidationPipe with EDGE_VALIDATION, and a shortcut for the bodies it would accept.
 *
 * A body is first checked by its DTO's compiled validator (issue 16: class-validator's own pass was ~4 % of
 * intake's CPU, most of it regrouping the same metadata for every request): a body it accepts, Nest's pipe
 * would accept too (`validation.spec.ts` compares the two on generated bodies), and becomes the same instance.
 * Anything it refuses, and every DTO it cannot compile, goes through Nest's pipe, which writes the problem:
 * one way of saying what is wrong, whichever check noticed.
 */
export class EdgeValidationPipe extends ValidationPipe {
  private readonly compiled = new Map<ClassType, CompiledValidator | null>();

  constructor() {
    super(EDGE_VALIDATION);
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const check = metadata.type === 'body' && metadata.metatype ? this.compiledFor(metadata.metatype as ClassType) : null;
    if (check && typeof value === 'object' && value !== null && !Array.isArray(value)) {
      // The pipe validates the instance, after class-transformer's conversions: so does this.
      const instance = plainToInstance(metadata.metatype as new () => object, value);
      if (check(instance).length === 0) return instance;
    }
    return super.transform(value, metadata);
  }

  /** The compiled check of a body DTO; null where its decorators are beyond the compiler (the pipe alone). */
  compiledFor(cls: ClassType): CompiledValidator | null {
    let check = this.compiled.get(cls);
    if (check === undefined) {
      try {
        check = compileValidator(cls, { forbidUnknown: true });
      } catch {
        check = null; // a decorator the compiler does not take: the pipe alone
      }
      this.compiled.set(cls, check);
    }
    return check;
  }
}

export function createValidationPipe(): ValidationPipe {
  return new EdgeValidationPipe();
}
