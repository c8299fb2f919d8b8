// node tools/bootstrap.mjs bench/event-decode (after a build): what validating one incoming event costs,
// class-validator on instances (plainToInstance + validateSync of the envelope and the data, as the consumer did
// before) against the compiled checks (libs/platform/src/messaging/compiled-validator.ts), for a
// dispute.submitted and a case.decided, 3,000 of each, twice (the first round warms up).
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { workspaceRoot } from '@recourse/testing';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { runTool } from '../lib/cli';
import { microsPerCall } from './micro';

type Check = (value: unknown) => unknown[];
type DtoClass = new () => object;

// The built code, not the sources: tsx's esbuild emits no decorator metadata, and class-validator's nested
// checks and the compiled validator read it as the services do.
const loadBuilt = createRequire(join(workspaceRoot, 'package.json'));
const dist = join(workspaceRoot, 'dist', 'apps', 'investigation', 'libs');
const { EnvelopeDto, EVENT_DATA_CLASSES } = loadBuilt(join(dist, 'contracts', 'src', 'index.js')) as { EnvelopeDto: DtoClass; EVENT_DATA_CLASSES: Record<string, DtoClass> };
const { compileValidator } = loadBuilt(join(dist, 'platform', 'src', 'messaging', 'compiled-validator.js')) as { compileValidator: (dto: DtoClass) => Check };

const at = '2026-12-03T10:00:00.000Z';
const actor = { type: 'system', id: 'triage' };
const payment = { paymentId: 'pay-1', customerId: 'c-1', merchantId: 'm-1', amount: 2500, currency: 'CNY', status: 'succeeded', debited: true, createdAt: at };
const envelope = (type: string, data: object) => ({ id: 'e-1', type, version: 1, occurredAt: at, disputeId: 'd-1', correlationId: 'e-0', causationId: 'e-0', actor, data });
const events = [
  envelope('dispute.submitted', {
    paymentId: 'pay-1', customerId: 'c-1', merchantId: 'm-1', reason: 'duplicate_charge', description: 'charged twice', amount: 2500, currency: 'CNY',
    channel: 'app', locale: 'en', filedBy: { type: 'customer', id: 'c-1' }, createdAt: at, payment,
  }),
  envelope('case.decided', {
    outcome: 'approve', refundAmount: 2500, disputedAmount: 2500, currency: 'CNY', paymentId: 'pay-1', customerId: 'c-1', merchantId: 'm-1',
    liability: 'platform', reasonCode: 'duplicate_charge', explanation: 'charged twice', decidedBy: actor, paymentAmount: 2500, locale: 'en',
  }),
];
const ROUNDS = 3_000;

async function main(): Promise<void> {
  const compiledEnvelope = compileValidator(EnvelopeDto);
  for (const round of [1, 2]) {
    for (const event of events) {
      const dataClass = EVENT_DATA_CLASSES[event.type];
      const compiledData = compileValidator(dataClass);
      const before = () => validateSync(plainToInstance(EnvelopeDto, event)).length + validateSync(plainToInstance(dataClass, event.data)).length;
      const after = () => compiledEnvelope(event).length + compiledData(event.data).length;
      if (before() !== 0 || after() !== 0) throw new Error(`${event.type}: the sample is not valid (${JSON.stringify(validateSync(plainToInstance(dataClass, event.data)))})`);
      console.log(`round ${round}: ${event.type} class-validator ${microsPerCall(before, ROUNDS).toFixed(1)} µs, compiled ${microsPerCall(after, ROUNDS).toFixed(2)} µs`);
    }
  }
}

runTool('event-decode', main);
