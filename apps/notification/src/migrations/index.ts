import { Initial1764000000000 } from './1764000000000-initial';
import { OutboxTraceContext1795700000000 } from './1795700000000-outbox-trace-context';
import { IdempotencyOwnerAndRetention1796000000100 } from './1796000000100-idempotency-owner-and-retention';
import { OutboxWithoutNotify1796160000000 } from './1796160000000-outbox-without-notify';
import { OutboxParked1797000000700 } from './1797000000700-outbox-parked';
import { OutboxPayloadJson1797001000000 } from './1797001000000-outbox-payload-json';

/** Notification's migrations, in order: the service's and the tests' that migrate a database of their own. */
export const notificationMigrations = [
  Initial1764000000000, OutboxTraceContext1795700000000, IdempotencyOwnerAndRetention1796000000100, OutboxWithoutNotify1796160000000, OutboxParked1797000000700, OutboxPayloadJson1797001000000,
];
