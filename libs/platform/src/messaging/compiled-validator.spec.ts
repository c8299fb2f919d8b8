import 'reflect-metadata';
import { ActorDto, EnvelopeDto, EVENT_DATA_CLASSES } from '@recourse/contracts';
import { plainToInstance } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, validateSync, ValidateNested } from 'class-validator';
import { Type } from 'class-transformer';
import { decoratedProperties, generateValue, seededRandom } from './class-values';
import { ClassType, compileValidator } from './compiled-validator';

// The compiled validators must accept and refuse what class-validator does, property for property, on values
// generated from each class's own decorators (class-values.ts).

const failing = (cls: ClassType, value: object) => new Set(validateSync(plainToInstance(cls as new () => object, value)).map((error) => error.property));

const CLASSES: Array<[string, ClassType]> = [
  ['envelope', EnvelopeDto],
  ['actor', ActorDto],
  ...Object.entries(EVENT_DATA_CLASSES).map(([type, cls]) => [type, cls as ClassType] as [string, ClassType]),
];

describe('compileValidator', () => {
  it.each(CLASSES)('%s: the same verdict as class-validator, property for property, on generated values', (_name, cls) => {
    const compiled = compileValidator(cls);
    const next = seededRandom(42);
    let valid = 0;
    for (let run = 0; run < 400; run++) {
      const value = generateValue(cls, next);
      const expected = [...failing(cls, value)].sort();
      const actual = [...new Set(compiled(value).map((path) => path.split('.')[0]))].sort();
      expect({ value, failing: actual }).toEqual({ value, failing: expected });
      if (expected.length === 0) valid++;
    }
    // Both sides of the verdict were exercised.
    expect(valid).toBeGreaterThan(10);
    expect(valid).toBeLessThan(400);
  });

  it('refuses what is not an object, and an array where a nested object belongs', () => {
    const validate = compileValidator(EnvelopeDto);
    expect(validate(null)).toEqual(['(root)']);
    expect(validate([])).toEqual(['(root)']);
    expect(validate('x')).toEqual(['(root)']);
    const envelope = { id: 'e1', type: 'payment.recorded', version: 1, occurredAt: '2026-12-03T10:00:00.000Z', disputeId: null, correlationId: 'e1', causationId: null, actor: { type: 'system', id: 'core' }, data: {} };
    expect(validate(envelope)).toEqual([]);
    expect(validate({ ...envelope, actor: [{ type: 'system', id: 'core' }] })).toEqual(['actor']);
    expect(validate({ ...envelope, actor: { type: 'nobody', id: 'core' } })).toEqual(['actor.type']);
  });

  describe('as the HTTP edge uses it (forbidUnknown, arrays of nested objects)', () => {
    class Item {
      @IsString() name: string;
    }
    class Body {
      @IsIn(['a', 'b'], { each: true }) tags: string[];
      @IsOptional() @IsArray() @ArrayMaxSize(2) @ValidateNested({ each: true }) @Type(() => Item) items?: Item[];
    }
    const validate = compileValidator(Body, { forbidUnknown: true });

    it('refuses a property without decorators, at every depth', () => {
      expect(validate({ tags: ['a'] })).toEqual([]);
      expect(validate({ tags: ['a'], extra: 1 })).toEqual(['extra']);
      expect(validate({ tags: ['a'], items: [{ name: 'x' }, { name: 'y', extra: 1 }] })).toEqual(['items.1.extra']);
    });

    it('checks `each` rules on every element, and every element of an array of nested objects', () => {
      expect(validate({ tags: ['a', 'c'] })).toEqual(['tags']);
      expect(validate({ tags: 'a' })).toEqual([]);
      expect(validate({ tags: [], items: [{ name: 1 }] })).toEqual(['items.0.name']);
      expect(validate({ tags: [], items: { name: 'x' } })).toEqual(['items']);
      expect(validate({ tags: [], items: ['x'] })).toEqual(['items.0']);
      expect(validate({ tags: [], items: [{}, {}, {}] })).toEqual(['items']);
    });

    it('will not compile a class without decorated properties (the edge refuses every value of it)', () => {
      class Bare {
        name?: string;
      }
      expect(() => compileValidator(Bare, { forbidUnknown: true })).toThrow(/no decorated properties/);
      expect(decoratedProperties(Body)).toEqual(['tags', 'items']);
    });
  });
});
