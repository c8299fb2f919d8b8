import { Initial1764000000000 } from './1764000000000-initial';
import { OutboxTraceContext1795700000000 } from './1795700000000-outbox-trace-context';
import { DisputeWithdrawal1796000000000 } from './1796000000000-dispute-withdrawal';
import { IdempotencyOwnerAndRetention1796000000100 } from './1796000000100-idempotency-owner-and-retention';
import { OutboxWithoutNotify1796160000000 } from './1796160000000-outbox-without-notify';
import { DisputePrevented1796200000000 } from './1796200000000-dispute-prevented';
import { Regimes1796450000000 } from './1796450000000-regimes';
import { Conversation1796500000000 } from './1796500000000-conversation';
import { DisputeOffers1796600000000 } from './1796600000000-dispute-offers';
import { DisputeFeedback1796800000000 } from './1796800000000-dispute-feedback';
import { PaymentDevice1796900000000 } from './1796900000000-payment-device';
import { OutboxParked1797000000700 } from './1797000000700-outbox-parked';
import { OutboxPayloadJson1797001000000 } from './1797001000000-outbox-payload-json';

/** Intake's migrations, in order: the service's and the tests' that migrate a database of their own. */
export const intakeMigrations = [
  Initial1764000000000, OutboxTraceContext1795700000000, DisputeWithdrawal1796000000000, IdempotencyOwnerAndRetention1796000000100,
  OutboxWithoutNotify1796160000000, DisputePrevented1796200000000, Regimes1796450000000, Conversation1796500000000, DisputeOffers1796600000000,
  DisputeFeedback1796800000000, PaymentDevice1796900000000, OutboxParked1797000000700, OutboxPayloadJson1797001000000,
];
