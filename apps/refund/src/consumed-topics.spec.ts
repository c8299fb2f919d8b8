// The topics refund subscribes to are derived from its handlers (issue 18); until then they were a list kept
// by hand in refund.module.ts, written here as the expectation: deriving them changed nothing.
import { Type } from '@nestjs/common';
import { MODULE_METADATA } from '@nestjs/common/constants';
import { Topics } from '@recourse/contracts';
import { consumedTopics } from '@recourse/platform';
import { RefundModule } from './refund.module';

/** The controllers of the feature modules RefundModule imports (and of theirs). */
function controllersOf(module: Type): Type[] {
  const imports: Type[] = Reflect.getMetadata(MODULE_METADATA.IMPORTS, module) ?? [];
  return [...(Reflect.getMetadata(MODULE_METADATA.CONTROLLERS, module) ?? []), ...imports.flatMap(controllersOf)];
}

it('refund consumes the investigation topic, as its hand-kept list said', () => {
  expect(consumedTopics(controllersOf(RefundModule))).toEqual([Topics.investigation]);
});
