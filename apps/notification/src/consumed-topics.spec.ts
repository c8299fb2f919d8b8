// The topics notification subscribes to are derived from its handlers (issue 18); until then they were a list kept
// by hand in notification.module.ts, written here as the expectation: deriving them changed nothing.
import { MODULE_METADATA } from '@nestjs/common/constants';
import { Topics } from '@recourse/contracts';
import { consumedTopics } from '@recourse/platform';
import { NOTIFICATION_FEATURES } from './notification.module';

it('notification consumes the intake, investigation and refund topics, as its hand-kept list said', () => {
  const controllers = NOTIFICATION_FEATURES.flatMap((feature) => Reflect.getMetadata(MODULE_METADATA.CONTROLLERS, feature) ?? []);
  expect(consumedTopics(controllers)).toEqual([Topics.intake, Topics.investigation, Topics.refund]);
});
