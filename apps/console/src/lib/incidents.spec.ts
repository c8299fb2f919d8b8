import { resolutionImpact, standing } from './incidents';

const held = { refundAmount: 20_000, reasonCode: 'outage', explanation: 'x', decidedBy: 'sup-1' };

describe('where an incident’s cases stand', () => {
  it('counts an open case without a held approval as undecided, and every other as left alone', () => {
    expect(standing({ status: 'under_review', pendingDecision: null })).toBe('undecided');
    expect(standing({ status: 'awaiting_merchant', pendingDecision: null })).toBe('undecided');
    expect(standing({ status: 'awaiting_customer', pendingDecision: null })).toBe('undecided');
    // Held for four eyes: the case is still open, but a resolution leaves it to the second supervisor.
    expect(standing({ status: 'under_review', pendingDecision: held })).toBe('four_eyes');
    for (const status of ['approved', 'refunded', 'rejected', 'withdrawn', 'resolved']) expect(standing({ status, pendingDecision: null })).toBe('decided');
  });

  it('says how many cases a resolution decides and how many it leaves alone, from the incident’s counts', () => {
    expect(resolutionImpact({ undecided: 2, heldForFourEyes: 1, decided: 1 })).toEqual({ undecided: 2, leftAlone: 2 });
    expect(resolutionImpact({ undecided: 4_998, heldForFourEyes: 0, decided: 2 })).toEqual({ undecided: 4_998, leftAlone: 2 });
    expect(resolutionImpact({ undecided: 0, heldForFourEyes: 0, decided: 0 })).toEqual({ undecided: 0, leftAlone: 0 });
  });
});
