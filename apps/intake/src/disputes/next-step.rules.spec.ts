import { OfferCopy } from './offer.types';
import { nextStepOf } from './next-step.rules';

const now = new Date('2026-12-04T10:00:00.000Z');
const deadlines = { provisionalCreditBy: '2026-12-14T10:00:00.000Z', resolutionBy: '2027-01-18T10:00:00.000Z' };
const offer = (changes: Partial<OfferCopy> = {}): OfferCopy => ({
  id: 'o-1', kind: 'partial_refund', amount: 500, currency: 'CNY', message: 'half back', status: 'open', expiresAt: '2026-12-07T10:00:00.000Z', createdAt: '2026-12-04T09:00:00.000Z', ...changes,
});
const step = (status: Parameters<typeof nextStepOf>[0]['status'], changes: Partial<Parameters<typeof nextStepOf>[0]> = {}) =>
  nextStepOf({ status, appealed: false, deadlines, offers: [], ...changes }, now);

describe('the next step on a dispute (CONTRACT §11)', () => {
  it.each([
    ['submitted', { owner: 'platform', action: 'investigation', by: deadlines.resolutionBy }],
    ['under_review', { owner: 'platform', action: 'investigation', by: deadlines.resolutionBy }],
    ['awaiting_customer', { owner: 'customer', action: 'provide_information', by: deadlines.resolutionBy }],
    ['approved', { owner: 'platform', action: 'refund' }],
  ] as const)('%s: %o', (status, expected) => {
    expect(step(status)).toEqual(expected);
  });

  it('waits for the merchant until its response is due', () => {
    expect(step('awaiting_merchant', { deadlines: { ...deadlines, merchantResponseBy: '2026-12-11T10:00:00.000Z' } }))
      .toEqual({ owner: 'merchant', action: 'merchant_response', by: '2026-12-11T10:00:00.000Z' });
  });

  it('puts an open offer first, until it expires; answered or expired offers change nothing', () => {
    expect(step('under_review', { offers: [offer()] })).toEqual({ owner: 'customer', action: 'answer_offer', by: '2026-12-07T10:00:00.000Z' });
    expect(step('awaiting_merchant', { offers: [offer()] })).toMatchObject({ action: 'answer_offer' });
    expect(step('under_review', { offers: [offer({ expiresAt: '2026-12-04T09:59:59.000Z' })] })).toMatchObject({ action: 'investigation' });
    expect(step('under_review', { offers: [offer({ status: 'declined' })] })).toMatchObject({ action: 'investigation' });
  });

  it('lets a rejected customer appeal until the window closes, then nobody acts', () => {
    const appealBy = '2027-01-03T10:00:00.000Z';
    expect(step('rejected', { deadlines: { ...deadlines, appealBy } })).toEqual({ owner: 'customer', action: 'appeal_or_accept', by: appealBy });
    expect(step('rejected', { deadlines: { ...deadlines, appealBy: '2026-12-01T00:00:00.000Z' } })).toBeNull();
    expect(step('rejected', { appealed: true, deadlines: { ...deadlines, appealBy } })).toBeNull();
  });

  it.each(['refunded', 'withdrawn', 'resolved'] as const)('%s is final: no next step', (status) => {
    expect(step(status, { offers: [offer()] })).toBeNull();
  });
});
