import { Type, ValidationPipe } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ClassType } from '../messaging/compiled-validator';
import { generateValue, seededRandom } from '../messaging/class-values';
import { ProblemException } from './problem';
import { EDGE_VALIDATION, EdgeValidationPipe } from './validation';

// For the specs that hold the edge's compiled checks to Nest's pipe (platform's validation.spec.ts and each
// service's edge-validation spec): the same generated bodies through both, every verdict compared.

/** The DTO classes of every `@Body()` parameter of these controllers' routes. */
export function bodyClassesOf(controllers: Type[]): ClassType[] {
  const found = new Set<ClassType>();
  for (const controller of controllers) {
    for (const method of Object.getOwnPropertyNames(controller.prototype)) {
      const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, method) ?? {}) as Record<string, { index: number }>;
      const types = (Reflect.getMetadata('design:paramtypes', controller.prototype, method) ?? []) as ClassType[];
      for (const [key, { index }] of Object.entries(args)) {
        if (Number(key.split(':')[0]) === RouteParamtypes.BODY && types[index] && types[index] !== Object) found.add(types[index]);
      }
    }
  }
  return [...found];
}

async function outcome(pipe: ValidationPipe, cls: ClassType, body: unknown): Promise<unknown> {
  try {
    const value = await pipe.transform(body, { type: 'body', metatype: cls as Type });
    return { accepted: value, as: (value as object).constructor.name };
  } catch (error) {
    return { refused: error instanceof ProblemException ? { code: error.spec, detail: error.detail, errors: error.errors } : String(error) };
  }
}

const GENERATED_BODIES = 300;

/** Generated bodies of `cls` on which the edge's pipe and Nest's answered differently (none, or the test fails). */
export async function edgeValidationDisagreements(cls: ClassType, runs = GENERATED_BODIES, seed = 7): Promise<{ compiled: boolean; accepted: number; disagreements: unknown[] }> {
  const edge = new EdgeValidationPipe();
  const reference = new ValidationPipe(EDGE_VALIDATION);
  const next = seededRandom(seed);
  const disagreements: unknown[] = [];
  let accepted = 0;
  for (let run = 0; run < runs; run++) {
    const body = generateValue(cls, next);
    const [fast, slow] = [await outcome(edge, cls, body), await outcome(reference, cls, body)];
    if (JSON.stringify(fast) !== JSON.stringify(slow)) disagreements.push({ body, edge: fast, nest: slow });
    if ('accepted' in (slow as object)) accepted++;
  }
  return { compiled: edge.compiledFor(cls) !== null, accepted, disagreements };
}

/**
 * What is wrong with the edge's checks of these controllers' bodies, one line each: a body DTO the compiler cannot
 * take (it would fall back to Nest's pipe alone), generated bodies on which only one verdict came up, any body the
 * two pipes answered differently. None for a service whose every body agrees; one when it has no body at all.
 */
export async function edgeValidationFaults(controllers: Type[]): Promise<string[]> {
  const bodies = bodyClassesOf(controllers);
  if (bodies.length === 0) return ['no @Body() DTO found'];
  const faults: string[] = [];
  for (const cls of bodies) {
    const { compiled, accepted, disagreements } = await edgeValidationDisagreements(cls);
    if (!compiled) faults.push(`${cls.name}: not compiled`);
    if (accepted === 0 || accepted === GENERATED_BODIES) faults.push(`${cls.name}: ${accepted} of ${GENERATED_BODIES} generated bodies accepted`);
    for (const disagreement of disagreements.slice(0, 3)) faults.push(`${cls.name}: ${JSON.stringify(disagreement)}`);
  }
  return faults;
}

/** The controllers of a module and of every module it imports, statically or dynamically. */
export function controllersOf(module: unknown, seen = new Set<unknown>()): Type[] {
  if (!module || seen.has(module)) return [];
  seen.add(module);
  const dynamic = typeof module === 'object' ? (module as { module?: unknown; controllers?: Type[]; imports?: unknown[] }) : null;
  const cls = dynamic ? dynamic.module : module;
  const controllers: Type[] = [...((Reflect.getMetadata('controllers', cls as object) ?? []) as Type[]), ...(dynamic?.controllers ?? [])];
  const imports = [...((Reflect.getMetadata('imports', cls as object) ?? []) as unknown[]), ...(dynamic?.imports ?? [])];
  return [...new Set([...controllers, ...imports.flatMap((imported) => controllersOf(imported, seen))])];
}
