import { IsInt, IsString, Min, ValidateNested, validateSync } from 'class-validator';
import { plainToInstance, Type } from 'class-transformer';
import { validationProblem } from './problem';

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
