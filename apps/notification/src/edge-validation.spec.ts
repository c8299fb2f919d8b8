import 'reflect-metadata';
import { controllersOf, edgeValidationFaults } from '@recourse/platform';
import { NOTIFICATION_FEATURES } from './notification.module';

// Issue 16: the edge's compiled checks answer as Nest's ValidationPipe does, for every request body of notification.
it('notification: every request body gets the same verdicts from its compiled check as from Nest’s pipe', async () => {
  expect(await edgeValidationFaults(NOTIFICATION_FEATURES.flatMap((feature) => controllersOf(feature)))).toEqual([]);
});
