// Random runs of investigation's and refund's news for a few disputes, for the tests that check a run applied
// at once gives what applying its events one at a time gives (dispute-progress.reducer.spec.ts, dispute-progress.int-spec.ts).
import { DISPUTE_STATUSES, EventEnvelope } from '@recourse/contracts';
import fc from 'fast-check';
import { ProgressEvent } from '../src/disputes/dispute-progress.reducer';
import type { DisputeProgressRow } from '../src/disputes/dispute-progress.repository';
import { OfferCopy } from '../src/disputes/offer.types';
import { WithdrawalState } from '../src/disputes/withdrawal.types';

/** A dispute as the run finds it. */
export type DisputeSeed = Omit<DisputeProgressRow, 'id'>;

/** One event of a run: which dispute it names (`disputes.length` names one intake never filed), its type and data. */
export interface EventTemplate {
  key: number;
  target: number;
  type: ProgressEvent['type'];
  data: object;
  occurredAt: string;
}

export interface Scenario {
  disputes: DisputeSeed[];
  /** In delivery order; a template appears more than once when it is delivered again (same event id). */
  events: EventTemplate[];
  /** Where the run is cut into separate batches (the consumer's runs), as fractions of its length. */
  cuts: number[];
}

const BASE = Date.parse('2026-03-01T00:00:00Z');
const REQUESTS = ['req-1', 'req-2'];

const withdrawal: fc.Arbitrary<WithdrawalState | null> = fc.option(
  fc.record({
    status: fc.constantFrom('requested' as const, 'confirmed' as const, 'refused' as const),
    requestedAt: fc.constant('2026-02-28T00:00:00.000Z'),
    requestId: fc.constantFrom(...REQUESTS),
    reason: fc.constantFrom(null, 'found it'),
  }),
  { freq: 2 },
);

const OFFERS = ['offer-1', 'offer-2'];
const offerCopy = (id: string, status: OfferCopy['status']): OfferCopy => ({
  id, kind: 'replacement', amount: null, currency: 'CNY', message: 'a new one', status, expiresAt: '2026-03-04T00:00:00.000Z', createdAt: '2026-03-01T00:00:00.000Z',
});

const seed: fc.Arbitrary<DisputeSeed> = fc.record({
  status: fc.constantFrom(...DISPUTE_STATUSES),
  outcome: fc.constantFrom(null, 'rejected' as const, 'refunded' as const),
  refunded_amount: fc.constantFrom(0, 500),
  deadlines: fc.constant({ provisionalCreditBy: '2026-03-10T00:00:00.000Z', resolutionBy: '2026-04-01T00:00:00.000Z' }),
  withdrawal,
  prevented: fc.constant(false),
  offers: fc.constantFrom([], [offerCopy('offer-1', 'open')], [offerCopy('offer-1', 'accepted')]),
});

const money = { currency: 'CNY', customerId: 'c-1', merchantId: 'm-1', paymentId: 'p-1', locale: 'en' as const };

const body: fc.Arbitrary<{ type: ProgressEvent['type']; data: object }> = fc.oneof(
  fc.record({ type: fc.constant('case.triaged' as const), data: fc.record({ rule: fc.constant(null), result: fc.constantFrom('queued', 'auto_approved'), explanation: fc.constant('x'), riskScore: fc.constant(0) }) }),
  fc.record({
    type: fc.constant('case.merchant_evidence_requested' as const),
    data: fc.record({ customerId: fc.constant('c-1'), locale: fc.constant('en'), merchantId: fc.constant('m-1'), message: fc.constant('send proof'), dueBy: fc.constantFrom('2026-03-05T00:00:00.000Z', '2026-03-06T00:00:00.000Z') }),
  }),
  fc.record({ type: fc.constant('case.customer_info_requested' as const), data: fc.record({ customerId: fc.constant('c-1'), locale: fc.constant('en'), message: fc.constantFrom('which card?', 'a receipt please') }) }),
  fc.record({ type: fc.constant('case.merchant_responded' as const), data: fc.record({ merchantId: fc.constant('m-1'), kind: fc.constantFrom('evidence', 'accepted') }) }),
  fc.record({ type: fc.constant('case.note_shared' as const), data: fc.record({ customerId: fc.constant('c-1'), locale: fc.constant('en'), noteId: fc.constant('n-1'), kind: fc.constantFrom('note', 'call'), body: fc.constantFrom('we called', 'noted') }) }),
  fc.record({ type: fc.constant('case.sla_breached' as const), data: fc.record({ customerId: fc.constant('c-1'), locale: fc.constant('en'), deadline: fc.constantFrom('resolution', 'merchant_response', 'provisional_credit'), dueAt: fc.constant('2026-03-02T00:00:00.000Z') }) }),
  fc.record({ type: fc.constantFrom('provisional_credit.issued' as const, 'provisional_credit.reversed' as const), data: fc.record({ refundId: fc.constant('r-1'), amount: fc.constantFrom(300, 1000), ...constants(money) }) }),
  fc.record({
    type: fc.constant('case.decided' as const),
    data: fc.record({
      outcome: fc.constantFrom('approve', 'reject'), refundAmount: fc.constantFrom(0, 700), reasonCode: fc.constant('r'), explanation: fc.constantFrom('no evidence', 'duplicate'),
      liability: fc.constant('merchant'), decidedBy: fc.constant({ type: 'investigator', id: 'inv-1' }), paymentAmount: fc.constant(1000), disputedAmount: fc.constant(1000),
      appealBy: fc.option(fc.constant('2026-03-20T00:00:00.000Z'), { nil: undefined }),
      prevented: fc.option(fc.constant(true), { nil: undefined }), ...constants(money),
    }, { requiredKeys: ['outcome', 'refundAmount', 'reasonCode', 'explanation', 'liability', 'decidedBy', 'paymentAmount', 'disputedAmount', 'currency', 'customerId', 'merchantId', 'paymentId', 'locale'] }),
  }),
  fc.record({
    type: fc.constant('refund.succeeded' as const),
    data: fc.record({
      refundId: fc.constant('r-2'), kind: fc.constantFrom('refund', 'provisional_credit'), amount: fc.constantFrom(400, 1000), liability: fc.constant('merchant'),
      refundedTotal: fc.constantFrom(400, 1000), disputedAmount: fc.constant(1000), outcome: fc.constantFrom('refunded', 'partially_refunded'), ...constants(money),
    }),
  }),
  fc.record({ type: fc.constant('case.withdrawn' as const), data: fc.record({ requestId: fc.constantFrom(...REQUESTS), reason: fc.constantFrom(null, 'changed my mind') }) }),
  fc.record({ type: fc.constant('case.withdrawal_refused' as const), data: fc.record({ requestId: fc.constantFrom(...REQUESTS), status: fc.constant('approved') }) }),
  fc.record({
    type: fc.constant('case.offer_made' as const),
    data: fc.record({
      offerId: fc.constantFrom(...OFFERS), kind: fc.constantFrom('partial_refund', 'replacement'), amount: fc.constantFrom(null, 300), message: fc.constant('how about this'),
      expiresAt: fc.constant('2026-03-04T00:00:00.000Z'), createdAt: fc.constant('2026-03-01T00:00:00.000Z'), ...constants(money),
    }),
  }),
  fc.record({ type: fc.constant('case.offer_expired' as const), data: fc.record({ offerId: fc.constantFrom(...OFFERS), kind: fc.constant('replacement'), amount: fc.constant(null), expiresAt: fc.constant('2026-03-04T00:00:00.000Z'), ...constants(money) }) }),
  fc.record({
    type: fc.constant('case.offer_answered' as const),
    data: fc.record({ offerId: fc.constantFrom(...OFFERS), requestId: fc.constant('req-o'), answer: fc.constantFrom('accepted', 'declined'), kind: fc.constant('replacement'), amount: fc.constant(null), ...constants(money) }),
  }),
  fc.record({ type: fc.constant('case.offer_answer_refused' as const), data: fc.record({ offerId: fc.constantFrom(...OFFERS), requestId: fc.constant('req-o'), answer: fc.constant('accepted'), status: fc.constantFrom('expired', 'declined') }) }),
  fc.record({
    type: fc.constant('case.resolved' as const),
    data: fc.record({ outcome: fc.constant('resolved_by_merchant'), offerId: fc.constantFrom(...OFFERS), kind: fc.constantFrom('replacement', 'return_for_refund'), disputedAmount: fc.constant(1000), ...constants(money) }),
  }),
);

function constants<T extends object>(values: T): { [K in keyof T]: fc.Arbitrary<T[K]> } {
  return Object.fromEntries(Object.entries(values).map(([key, value]) => [key, fc.constant(value)])) as { [K in keyof T]: fc.Arbitrary<T[K]> };
}

export const scenarios: fc.Arbitrary<Scenario> = fc
  .record({
    disputes: fc.array(seed, { minLength: 1, maxLength: 4 }),
    bodies: fc.array(fc.record({ target: fc.nat(4), body, seconds: fc.nat(3_600) }), { maxLength: 24 }),
    // Redeliveries: the event at `from` (as a fraction) delivered again at `to`.
    again: fc.array(fc.record({ from: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), to: fc.double({ min: 0, max: 1, noNaN: true }) }), { maxLength: 4 }),
    cuts: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 2 }),
  })
  .map(({ disputes, bodies, again, cuts }) => {
    const events: EventTemplate[] = bodies.map(({ target, body: { type, data }, seconds }, key) => ({
      key, target: Math.min(target, disputes.length), type, data, occurredAt: new Date(BASE + seconds * 1000).toISOString(),
    }));
    for (const { from, to } of again) {
      if (events.length === 0) break;
      events.splice(Math.floor(to * events.length), 0, events[Math.floor(from * events.length)]);
    }
    return { disputes, events, cuts };
  });

/** The run's envelopes: each dispute's id by `disputeId(index)`, event ids made unique to `prefix`. */
export function toEvents(scenario: Scenario, prefix: string, disputeId: (index: number) => string): ProgressEvent[] {
  return scenario.events.map((template) => {
    const id = `${prefix}-e${template.key}`;
    const envelope: EventEnvelope = {
      id, type: template.type, version: 1, occurredAt: template.occurredAt, disputeId: disputeId(template.target),
      correlationId: `${prefix}-corr${template.key}`, causationId: null, actor: { type: 'system', id: 'investigation' }, data: template.data,
    };
    return envelope as ProgressEvent;
  });
}

/** The events cut into the consumer runs the scenario says (each run keeps its order). */
export function runsOf<T>(scenario: Scenario, events: T[]): T[][] {
  const points = [...new Set(scenario.cuts.map((cut) => Math.floor(cut * events.length)))].sort((a, b) => a - b);
  const runs: T[][] = [];
  let from = 0;
  for (const point of [...points, events.length]) {
    if (point > from) runs.push(events.slice(from, point));
    from = Math.max(from, point);
  }
  return runs;
}
