import { Initial1764000000000 } from './1764000000000-initial';
import { OutboxTraceContext1795700000000 } from './1795700000000-outbox-trace-context';
import { AuditAppendOnly1796000000000 } from './1796000000000-audit-append-only';
import { TimerAttempts1796000000001 } from './1796000000001-timer-attempts';
import { IdempotencyOwnerAndRetention1796000000100 } from './1796000000100-idempotency-owner-and-retention';
import { MerchantCounters1796000000200 } from './1796000000200-merchant-counters';
import { OutboxWithoutNotify1796160000000 } from './1796160000000-outbox-without-notify';
import { ResolutionRules1796200000000 } from './1796200000000-resolution-rules';
import { CaseRegime1796450000100 } from './1796450000100-case-regime';
import { CaseFeedback1796450000200 } from './1796450000200-case-feedback';
import { Conversation1796500000100 } from './1796500000100-conversation';
import { Offers1796600000100 } from './1796600000100-offers';
import { MerchantAppeal1796700000100 } from './1796700000100-merchant-appeal';
import { MerchantRate1796900000200 } from './1796900000200-merchant-rate';
import { PaymentDevice1796900000400 } from './1796900000400-payment-device';
import { CaseLinks1797000000100 } from './1797000000100-case-links';
import { Incidents1797000000300 } from './1797000000300-incidents';
import { OutboxParked1797000000700 } from './1797000000700-outbox-parked';
import { CasesCreated1797000000900 } from './1797000000900-cases-created';
import { OutboxPayloadJson1797001000000 } from './1797001000000-outbox-payload-json';

/** Investigation's migrations, in order: the service's and the tests' that migrate a database of their own. */
export const investigationMigrations = [
  Initial1764000000000, OutboxTraceContext1795700000000, AuditAppendOnly1796000000000, TimerAttempts1796000000001,
  IdempotencyOwnerAndRetention1796000000100, MerchantCounters1796000000200, OutboxWithoutNotify1796160000000, ResolutionRules1796200000000,
  CaseRegime1796450000100, CaseFeedback1796450000200, Conversation1796500000100, Offers1796600000100, MerchantAppeal1796700000100,
  MerchantRate1796900000200, PaymentDevice1796900000400, CaseLinks1797000000100, Incidents1797000000300, OutboxParked1797000000700,
  CasesCreated1797000000900, OutboxPayloadJson1797001000000,
];
