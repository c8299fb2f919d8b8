// The topics investigation subscribes to are derived from its handlers (issue 18); until then they were a list kept
// by hand in investigation.module.ts, written here as the expectation: deriving them changed nothing.
import { Type } from '@nestjs/common';
import { MODULE_METADATA } from '@nestjs/common/constants';
import { Topics } from '@recourse/contracts';
import { consumedTopics } from '@recourse/platform';
import { InvestigationModule } from './investigation.module';

/** The controllers (handlers included) of a module and of every module it imports. */
function controllersOf(module: Type, seen = new Set<Type>()): Type[] {
  if (seen.has(module)) return [];
  seen.add(module);
  const imports: Type[] = Reflect.getMetadata(MODULE_METADATA.IMPORTS, module) ?? [];
  return [...(Reflect.getMetadata(MODULE_METADATA.CONTROLLERS, module) ?? []), ...imports.flatMap((imported) => controllersOf(imported, seen))];
}

it('investigation consumes the payments, intake and refund topics, as its hand-kept list said', () => {
  expect(consumedTopics(controllersOf(InvestigationModule))).toEqual([Topics.payments, Topics.intake, Topics.refund]);
});
