import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync, ValidationTypes } from 'class-validator';
import type { ClassType } from './compiled-validator';

// Values generated from a class's own class-validator decorators, for the tests that hold the compiled
// validators to class-validator's verdicts (compiled-validator.spec.ts, each service's edge-validation spec):
// mostly valid, each property sometimes replaced by one of a pool of wrong or borderline values, sometimes an
// unknown property added.

const POOL: unknown[] = [
  undefined, null, '', ' ', 'x', 'CNY', 'cny', 'CN', '2500', 'a'.repeat(129), 'a'.repeat(201), 'a'.repeat(501),
  '2026-12-03T10:00:00.000Z', '2026-13-45', 0, 1, -1, 2.5, 2500, Number.NaN, true, false, {}, [], ['x'],
];

/** A deterministic pseudo-random sequence, so a failure can be replayed. */
export function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

const metadatas = (cls: ClassType) => getMetadataStorage().getTargetValidationMetadatas(cls, '', true, false);
export const decoratedProperties = (cls: ClassType): string[] => [...new Set(metadatas(cls).map((meta) => meta.propertyName))];

/** The nested class of a `@ValidateNested()` property, and whether it holds an array of them (`each`). */
function nestedOf(cls: ClassType, property: string): { cls: ClassType; each: boolean } | null {
  const meta = metadatas(cls).find((candidate) => candidate.propertyName === property && candidate.type === ValidationTypes.NESTED_VALIDATION);
  if (!meta) return null;
  const nested = (plainToInstance(cls as new () => object, { [property]: {} }) as Record<string, object>)[property].constructor as ClassType;
  return { cls: nested, each: meta.each };
}

const failing = (cls: ClassType, value: object) => new Set(validateSync(plainToInstance(cls as new () => object, value)).map((error) => error.property));

const goodByClass = new Map<ClassType, Map<string, unknown[]>>();

/**
 * For each property, the pool values class-validator accepts there (with `isIn`'s own values added, alone
 * and as a one-element array). Where one nested object belongs an array is refused by the compiled check,
 * validated element by element by class-validator (a known difference, stricter on purpose): never generated.
 */
function goodValues(cls: ClassType): Map<string, unknown[]> {
  const known = goodByClass.get(cls);
  if (known) return known;
  const good = new Map<string, unknown[]>();
  goodByClass.set(cls, good);
  for (const property of decoratedProperties(cls)) {
    const isIn = metadatas(cls).filter((meta) => meta.propertyName === property && meta.name === 'isIn').flatMap((meta) => meta.constraints[0] as unknown[]);
    const nested = nestedOf(cls, property);
    const candidates = [...POOL, ...isIn, ...isIn.map((value) => [value])].filter((value) => !(nested && !nested.each && Array.isArray(value)));
    good.set(property, candidates.filter((value) => !failing(cls, { [property]: value }).has(property)));
  }
  return good;
}

/** One generated value of `cls`; `next` is a `seededRandom` sequence. */
export function generateValue(cls: ClassType, next: () => number, depth = 0): Record<string, unknown> {
  const good = goodValues(cls);
  const value: Record<string, unknown> = {};
  const pick = (list: unknown[]) => list[Math.floor(next() * list.length)];
  for (const property of decoratedProperties(cls)) {
    const nested = nestedOf(cls, property);
    let chosen: unknown;
    if (nested && depth < 3 && next() < 0.85) {
      chosen = nested.each ? Array.from({ length: Math.floor(next() * 3) }, () => generateValue(nested.cls, next, depth + 1)) : generateValue(nested.cls, next, depth + 1);
    } else if (next() < 0.9 && (good.get(property) ?? []).length > 0) chosen = pick(good.get(property) ?? []);
    else chosen = pick(nested && !nested.each ? POOL.filter((candidate) => !Array.isArray(candidate)) : POOL);
    if (chosen !== undefined) value[property] = chosen;
  }
  if (next() < 0.05) value.unexpected = pick(POOL);
  return value;
}
