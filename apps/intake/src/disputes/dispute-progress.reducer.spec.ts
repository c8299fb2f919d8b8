import { EventEnvelope } from '@recourse/contracts';
import fc from 'fast-check';
import { runsOf, scenarios, toEvents } from '../../test/progress-scenarios';
import type { DisputeProgressRow } from './dispute-progress.repository';
import { applyProgress, ProgressEvent, ProgressResult } from './dispute-progress.reducer';

const settings = { appealWindowMs: 7 * 24 * 3_600_000 };
const deadlines = { provisionalCreditBy: '2026-03-10T00:00:00.000Z', resolutionBy: '2026-04-01T00:00:00.000Z' };
const row = (changes: Partial<DisputeProgressRow> = {}): DisputeProgressRow => ({
  id: 'd-1', status: 'submitted', outcome: null, refunded_amount: 0, deadlines, withdrawal: null, prevented: false, offers: [], ...changes,
});
let seq = 0;
const event = (type: ProgressEvent['type'], data: object, disputeId = 'd-1', occurredAt = '2026-03-01T10:00:00.000Z'): ProgressEvent => {
  const id = `e-${++seq}`;
  return { id, type, version: 1, occurredAt, disputeId, correlationId: `c-${id}`, causationId: null, actor: { type: 'system', id: 'investigation' }, data } as ProgressEvent;
};
const money = { currency: 'CNY', customerId: 'c-1', merchantId: 'm-1', paymentId: 'p-1', locale: 'en' };
const decided = (outcome: 'approve' | 'reject', extra: object = {}) =>
  event('case.decided', { outcome, refundAmount: outcome === 'approve' ? 700 : 0, explanation: 'because', reasonCode: 'r', liability: 'merchant', ...money, ...extra });
const refund = (kind = 'refund') => event('refund.succeeded', { kind, amount: 700, refundedTotal: 700, outcome: 'partially_refunded', refundId: 'r-1', ...money });

/** What we compare of outgoing events: not their generated ids and times. */
const stable = (events: EventEnvelope[]) => events.map(({ id: _id, occurredAt: _at, ...rest }) => rest);

/** The reference: each event alone (after the inbox dropped those applied before), against the rows as they are by then. */
function oneByOne(rows: DisputeProgressRow[], events: ProgressEvent[]): ProgressResult {
  const current = new Map(rows.map((r) => [r.id, r]));
  const updated = new Set<string>();
  const result: ProgressResult = { updated: [], timeline: [], events: [] };
  const seen = new Set<string>();
  for (const e of events) {
    if (seen.has(e.id)) continue;
    seen.add(e.id);
    const one = applyProgress([...current.values()], [e], settings);
    for (const r of one.updated) {
      current.set(r.id, r);
      updated.add(r.id);
    }
    result.timeline.push(...one.timeline);
    result.events.push(...one.events);
  }
  result.updated = [...updated].sort().map((id) => current.get(id) as DisputeProgressRow);
  return result;
}

describe('dispute progress, the rules', () => {
  it('moves a queued submitted dispute under review, and ignores an automatic approval’s triage', () => {
    expect(applyProgress([row()], [event('case.triaged', { result: 'queued' })], settings)).toMatchObject({
      updated: [{ status: 'under_review' }],
      timeline: [{ disputeId: 'd-1', type: 'under_review', params: {}, at: new Date('2026-03-01T10:00:00.000Z') }],
      events: [],
    });
    expect(applyProgress([row()], [event('case.triaged', { result: 'auto_approved' })], settings)).toEqual({ updated: [], timeline: [], events: [] });
  });

  it('gives a rejection the appeal window from the decision unless the decision names its end', () => {
    const [rejected] = applyProgress([row()], [decided('reject')], settings).updated;
    expect(rejected).toMatchObject({ status: 'rejected', outcome: 'rejected', deadlines: { ...deadlines, appealBy: '2026-03-08T10:00:00.000Z' } });
    const [named] = applyProgress([row()], [decided('reject', { appealBy: '2026-03-20T00:00:00.000Z' })], settings).updated;
    expect(named.deadlines.appealBy).toBe('2026-03-20T00:00:00.000Z');
  });

  it('marks a dispute prevented when the merchant\'s resolution rule approved it, and only then', () => {
    const [prevented] = applyProgress([row()], [decided('approve', { prevented: true })], settings).updated;
    expect(prevented).toMatchObject({ status: 'approved', prevented: true });
    const [plain] = applyProgress([row()], [decided('approve')], settings).updated;
    expect(plain).toMatchObject({ status: 'approved', prevented: false });
  });

  it('reads refunded only for a refund (a provisional credit is news), and keeps it whatever the decision says later', () => {
    expect(applyProgress([row()], [refund('provisional_credit')], settings).updated).toEqual([]);
    const result = applyProgress([row({ status: 'under_review' })], [refund(), decided('approve'), event('case.merchant_evidence_requested', { dueBy: '2026-03-05T00:00:00.000Z' })], settings);
    expect(result.updated).toEqual([row({ status: 'refunded', outcome: 'partially_refunded', refunded_amount: 700, deadlines: { ...deadlines, merchantResponseBy: '2026-03-05T00:00:00.000Z' } })]);
    expect(result.timeline.map((entry) => entry.type)).toEqual(['partially_refunded', 'awaiting_merchant']);
  });

  it('withdraws once, publishing dispute.withdrawn caused by the confirmation; a refusal of another request changes nothing', () => {
    const withdrawal = { status: 'requested' as const, requestedAt: '2026-02-28T00:00:00.000Z', requestId: 'req-1', reason: 'found it' };
    const confirmed = event('case.withdrawn', { requestId: 'req-1', reason: 'found it' });
    const result = applyProgress([row({ withdrawal })], [event('case.withdrawal_refused', { requestId: 'req-0', status: 'approved' }), confirmed, { ...confirmed, id: 'again' }], settings);
    expect(result.updated).toEqual([row({ status: 'withdrawn', outcome: 'withdrawn', withdrawal: { ...withdrawal, status: 'confirmed', settledAt: confirmed.occurredAt } })]);
    expect(result.timeline.map((entry) => entry.type)).toEqual(['withdrawn']);
    expect(stable(result.events)).toEqual([{
      type: 'dispute.withdrawn', version: 1, disputeId: 'd-1', correlationId: confirmed.correlationId, causationId: confirmed.id, actor: confirmed.actor, data: { reason: 'found it' },
    }]);
  });

  it('adds news to the timeline without touching the dispute, and nothing for a dispute intake never filed', () => {
    const result = applyProgress([row()], [
      event('case.note_shared', { noteId: 'n-1', kind: 'call', body: 'we called' }),
      event('case.sla_breached', { deadline: 'merchant_response' }),
      event('case.sla_breached', { deadline: 'resolution' }),
      event('provisional_credit.issued', { amount: 300, ...money }),
      event('case.triaged', { result: 'queued' }, 'd-unknown'),
    ], settings);
    expect(result.updated).toEqual([]);
    expect(result.timeline.map(({ type, params }) => [type, params])).toEqual([
      ['call_recorded', { message: 'we called', noteId: 'n-1' }], ['deadline_passed', {}], ['provisional_credit_issued', { amount: 300, currency: 'CNY' }],
    ]);
  });
});

describe('dispute progress, offers', () => {
  const made = (offerId: string, kind: string, amount: number | null) => event('case.offer_made', {
    offerId, kind, amount, message: 'sorry', expiresAt: '2026-03-04T10:00:00.000Z', createdAt: '2026-03-01T10:00:00.000Z', ...money,
  });

  it('shows a made offer once, open, with an offer_received entry; expiry and refusals take investigation\'s status', () => {
    const offer = made('o-1', 'partial_refund', 300);
    const result = applyProgress([row({ status: 'under_review' })], [offer, { ...offer, id: 'again' }, event('case.offer_expired', { offerId: 'o-1' })], settings);
    expect(result.updated).toEqual([row({ status: 'under_review', offers: [{
      id: 'o-1', kind: 'partial_refund', amount: 300, currency: 'CNY', message: 'sorry', status: 'expired', expiresAt: '2026-03-04T10:00:00.000Z', createdAt: '2026-03-01T10:00:00.000Z',
    }] })]);
    expect(result.timeline.map(({ type, params }) => [type, params])).toEqual([
      ['offer_received', { kind: 'partial_refund', message: 'sorry', amount: 300, currency: 'CNY' }], ['offer_expired', {}],
    ]);
    const [refused] = applyProgress(result.updated, [event('case.offer_answer_refused', { offerId: 'o-1', requestId: 'r', answer: 'accepted', status: 'declined' })], settings).updated;
    expect(refused.offers[0].status).toBe('declined');
  });

  it('ends an undecided dispute resolved by the merchant, and never a decided one', () => {
    const resolved = event('case.resolved', { outcome: 'resolved_by_merchant', offerId: 'o-1', kind: 'replacement', disputedAmount: 1000, ...money });
    expect(applyProgress([row({ status: 'awaiting_merchant' })], [resolved], settings)).toMatchObject({
      updated: [{ status: 'resolved', outcome: 'resolved_by_merchant' }], timeline: [{ type: 'resolved', params: { kind: 'replacement' } }],
    });
    expect(applyProgress([row({ status: 'refunded', outcome: 'refunded' })], [resolved], settings).updated).toEqual([]);
  });
});

describe('dispute progress, a run at once', () => {
  it('gives the rows, timeline and events that applying its events one at a time gives', () => {
    fc.assert(fc.property(scenarios, (scenario) => {
      const rows = scenario.disputes.map((seed, index) => ({ id: `d-${index}`, ...seed }));
      const events = toEvents(scenario, 'run', (index) => `d-${index}`);
      // The consumer hands the handler each run's new events, the inbox having dropped those applied before.
      const claimed = new Set<string>();
      let current = rows;
      const batched: ProgressResult = { updated: [], timeline: [], events: [] };
      const touched = new Map<string, DisputeProgressRow>();
      for (const run of runsOf(scenario, events)) {
        const fresh = run.filter((e) => !claimed.has(e.id) && claimed.add(e.id));
        const result = applyProgress(current, fresh, settings);
        for (const r of result.updated) touched.set(r.id, r);
        current = current.map((r) => touched.get(r.id) ?? r);
        batched.timeline.push(...result.timeline);
        batched.events.push(...result.events);
      }
      batched.updated = [...touched.keys()].sort().map((id) => touched.get(id) as DisputeProgressRow);
      const reference = oneByOne(rows, events);
      expect(batched.updated).toEqual(reference.updated);
      expect(batched.timeline).toEqual(reference.timeline);
      expect(stable(batched.events)).toEqual(stable(reference.events));
    }), { numRuns: 300 });
  });
});
