import { IsInt, IsString, Min, ValidateNested, validateSync } from 'class-validator';
import { plainToInstance, Type } from 'class-transformer';
import { validationProblem } from './problem';
import { toProblemException } from './problem.filter';

class Inner {
  @IsInt() @Min(1) amount: number;
}
class Outer {
  @IsString() name: string;
  @ValidateNested() @Type(() => Inner) inner: Inner;
}

describe('validation problems', () => {
  it('lists every offending field with a dotted path and a snake_case code', () => {
    const errors = validateSync(plainToInstance(Outer, { name: 3, inner: { amount: 0 }, extra: true }), { whitelist: true, forbidNonWhitelisted: true });
    const problem = validationProblem(errors);
    expect(problem.spec).toMatchObject({ code: 'validation_failed', status: 400 });
    expect(problem.errors).toEqual(expect.arrayContaining([
      expect.objectContaining({ field: 'name', code: 'is_string' }),
      expect.objectContaining({ field: 'inner.amount', code: 'min' }),
      expect.objectContaining({ field: 'extra', code: 'unknown_field' }),
    ]));
  });
});

describe('errors a request meets in the database', () => {
  const pgError = (code: string) => Object.assign(new Error(`pg ${code}`), { code });

  it.each(['40P01', '40001', '53300', '55P03', '57014', '25006'])('answers SQLSTATE %s with 503 overloaded and Retry-After', (code) => {
    const problem = toProblemException(pgError(code));
    expect(problem.spec).toMatchObject({ code: 'overloaded', status: 503 });
    expect(problem.headers).toEqual({ 'Retry-After': '1' });
  });

  it('answers a pool that found no connection in time with 503 overloaded', () => {
    expect(toProblemException(new Error('timeout exceeded when trying to connect')).spec.code).toBe('overloaded');
  });

  it('keeps 500 internal_error for anything else, with nothing of the error in the problem', () => {
    const problem = toProblemException(pgError('23502'));
    expect(problem.spec).toMatchObject({ code: 'internal_error', status: 500 });
    expect(problem.detail).toBeUndefined();
  });
});
