// The topics investigation subscribes to are derived from its handlers (issue 18); until then they were a list kept
// by hand in investigation.module.ts, written here as the expectation: deriving them changed nothing.
import { Topics } from '@recourse/contracts';
import { consumedTopics, moduleControllers } from '@recourse/platform';
import { InvestigationModule } from './investigation.module';

it('investigation consumes the payments, intake and refund topics, as its hand-kept list said', () => {
  expect(consumedTopics(moduleControllers(InvestigationModule))).toEqual([Topics.payments, Topics.intake, Topics.refund]);
});
