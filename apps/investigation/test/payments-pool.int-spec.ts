// Issue 15 #8b: investigation's payment handler writes through the consumer batch's own connection (the
// scenario is in libs/testing's expectPaymentsOnTheBatchConnection).
import { readConfig } from '@recourse/platform';
import { disconnectTestProducer, expectPaymentsOnTheBatchConnection, RunningService, startService } from '@recourse/testing';
import { InvestigationConfig } from '../src/investigation.config';
import { InvestigationModule } from '../src/investigation.module';

describe('investigation payments and the database pool', () => {
  let investigation: RunningService;

  beforeAll(async () => {
    investigation = await startService('investigation', () => InvestigationModule.withConfig(readConfig(InvestigationConfig)), {
      DATABASE_POOL_SIZE: '2', KAFKA_CONSUMER_CONCURRENCY: '1',
    });
  }, 60_000);

  afterAll(async () => {
    await investigation?.close();
    await disconnectTestProducer();
  }, 30_000);

  it('applies a payment batch on the batch connection when the pool has no second one to give', async () => {
    await expectPaymentsOnTheBatchConnection(investigation, 'investigation');
  }, 40_000);
});
