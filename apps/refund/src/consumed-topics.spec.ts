// The topics refund subscribes to are derived from its handlers (issue 18); until then they were a list kept
// by hand in refund.module.ts, written here as the expectation: deriving them changed nothing.
import { Topics } from '@recourse/contracts';
import { consumedTopics, moduleControllers } from '@recourse/platform';
import { RefundModule } from './refund.module';

it('refund consumes the investigation topic, as its hand-kept list said', () => {
  expect(consumedTopics(moduleControllers(RefundModule))).toEqual([Topics.investigation]);
});
