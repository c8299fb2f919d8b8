// The topics notification subscribes to are derived from its handlers (issue 18); until then they were a list kept
// by hand in notification.module.ts, written here as the expectation: deriving them changed nothing.
import { MODULE_METADATA } from '@nestjs/common/constants';
import { Topics } from '@recourse/contracts';
import { consumedTopics } from '@recourse/platform';
import { NotificationModule } from './notification.module';

it('notification consumes the intake, investigation and refund topics, as its hand-kept list said', () => {
  expect(consumedTopics(Reflect.getMetadata(MODULE_METADATA.CONTROLLERS, NotificationModule))).toEqual([Topics.intake, Topics.investigation, Topics.refund]);
});
