// The topics notification subscribes to are derived from its handlers (issue 18); until then they were a list kept
// by hand in notification.module.ts, written here as the expectation: deriving them changed nothing.
import { Topics } from '@recourse/contracts';
import { consumedTopics, moduleControllers } from '@recourse/platform';
import { NOTIFICATION_FEATURES } from './notification.module';

it('notification consumes the intake, investigation and refund topics, as its hand-kept list said', () => {
  expect(consumedTopics(NOTIFICATION_FEATURES.flatMap((feature) => moduleControllers(feature)))).toEqual([Topics.intake, Topics.investigation, Topics.refund]);
});
