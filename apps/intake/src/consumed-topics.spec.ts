// The topics intake subscribes to are derived from its handlers (issue 18); until then they were a list kept
// by hand in intake.module.ts, written here as the expectation: deriving them changed nothing.
import { Topics } from '@recourse/contracts';
import { consumedTopics, moduleControllers } from '@recourse/platform';
import { IntakeModule } from './intake.module';

it('intake consumes the payments, investigation and refund topics, as its hand-kept list said', () => {
  expect(consumedTopics(moduleControllers(IntakeModule))).toEqual([Topics.payments, Topics.investigation, Topics.refund]);
});
