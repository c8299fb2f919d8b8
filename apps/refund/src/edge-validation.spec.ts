import 'reflect-metadata';
import { controllersOf, edgeValidationFaults } from '@recourse/platform';
import { RefundModule } from './refund.module';

// Issue 16: the edge's compiled checks answer as Nest's ValidationPipe does, for every request body of refund.
it('refund: every request body gets the same verdicts from its compiled check as from Nest’s pipe', async () => {
  expect(await edgeValidationFaults(controllersOf(RefundModule))).toEqual([]);
});
