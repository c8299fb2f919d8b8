import { Initial1764000000000 } from './1764000000000-initial';
import { OutboxTraceContext1795700000000 } from './1795700000000-outbox-trace-context';
import { IdempotencyOwnerAndRetention1796000000100 } from './1796000000100-idempotency-owner-and-retention';
import { OutboxWithoutNotify1796160000000 } from './1796160000000-outbox-without-notify';
import { RefundLiabilitySplit1796300000000 } from './1796300000000-refund-liability-split';
import { RefundPrevented1796400000000 } from './1796400000000-refund-prevented';
import { LiabilityReversals1796700000200 } from './1796700000200-liability-reversals';
import { OutboxParked1797000000700 } from './1797000000700-outbox-parked';
import { OutboxPayloadJson1797001000000 } from './1797001000000-outbox-payload-json';

/** Refund's migrations, in order: the service's and the tests' that migrate a database of their own. */
export const refundMigrations = [
  Initial1764000000000, OutboxTraceContext1795700000000, IdempotencyOwnerAndRetention1796000000100, OutboxWithoutNotify1796160000000,
  RefundLiabilitySplit1796300000000, RefundPrevented1796400000000, LiabilityReversals1796700000200, OutboxParked1797000000700, OutboxPayloadJson1797001000000,
];
