import { OfferKind, OfferStatus } from '@recourse/contracts';
import { answerEffect, answerVerdict, canMakeAnotherOffer, offerAmount, offerAmountProblems, offerExpiresAt } from './offers';

describe('offers', () => {
  it.each<[OfferKind, number | undefined, string | null]>([
    ['partial_refund', 1, null],
    ['partial_refund', 9_999, null],
    ['partial_refund', 10_000, 'out_of_range'],
    ['partial_refund', 0, 'out_of_range'],
    ['partial_refund', -5, 'out_of_range'],
    ['partial_refund', 12.5, 'out_of_range'],
    ['partial_refund', undefined, 'required'],
    ['full_refund', undefined, null],
    ['full_refund', 10_000, 'not_allowed'],
    ['replacement', undefined, null],
    ['replacement', 100, 'not_allowed'],
    ['return_for_refund', 100, 'not_allowed'],
  ])('%s with amount %p on a 10000 dispute: %s', (kind, amount, code) => {
    const problems = offerAmountProblems({ kind, amount }, 10_000);
    expect(problems.map((problem) => problem.code)).toEqual(code ? [code] : []);
    if (code) expect(problems[0].field).toBe('amount');
  });

  it.each<[OfferKind, number | undefined, number | null]>([
    ['full_refund', undefined, 10_000],
    ['partial_refund', 2_500, 2_500],
    ['replacement', undefined, null],
    ['return_for_refund', undefined, null],
  ])('a %s offer is worth %p → %p', (kind, amount, worth) => {
    expect(offerAmount({ kind, amount }, 10_000)).toBe(worth);
  });

  it('expires SLA_OFFER_RESPONSE after it is made, in the SLA calendar', () => {
    const friday = new Date('2026-11-27T10:00:00Z');
    expect(offerExpiresAt(friday, 3 * 86_400_000).toISOString()).toBe('2026-11-30T10:00:00.000Z');
    expect(offerExpiresAt(friday, 3 * 86_400_000, { kind: 'business', holidays: new Set() }).toISOString()).toBe('2026-12-02T10:00:00.000Z');
  });

  it.each<[OfferStatus[], boolean]>([
    [[], true],
    [['declined', 'expired', 'accepted'], true],
    [['expired', 'open'], false],
  ])('one open offer at a time: %p → %p', (statuses, allowed) => {
    expect(canMakeAnotherOffer(statuses.map((status) => ({ status })))).toBe(allowed);
  });

  const now = new Date('2026-11-27T10:00:00Z');
  const later = '2026-11-27T10:00:01Z';
  it.each<[OfferStatus, boolean, string, { ok: true } | { ok: false; status: OfferStatus }]>([
    ['open', true, later, { ok: true }],
    ['open', true, now.toISOString(), { ok: false, status: 'expired' }],
    ['open', false, later, { ok: false, status: 'expired' }],
    ['expired', true, later, { ok: false, status: 'expired' }],
    ['accepted', true, later, { ok: false, status: 'accepted' }],
    ['declined', true, later, { ok: false, status: 'declined' }],
  ])('an answer to a %s offer (case open: %p, expires %s) → %p', (status, caseOpen, expiresAt, verdict) => {
    expect(answerVerdict({ status, expiresAt }, caseOpen, now)).toEqual(verdict);
  });

  it.each<[OfferKind, 'accepted' | 'declined', string]>([
    ['full_refund', 'accepted', 'approve'],
    ['partial_refund', 'accepted', 'approve'],
    ['replacement', 'accepted', 'resolve'],
    ['return_for_refund', 'accepted', 'resolve'],
    ['partial_refund', 'declined', 'none'],
    ['replacement', 'declined', 'none'],
  ])('accepting or declining: %s %s → %s', (kind, answer, effect) => {
    expect(answerEffect(kind, answer)).toBe(effect);
  });
});
