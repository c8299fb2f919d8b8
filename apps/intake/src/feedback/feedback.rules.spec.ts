import { acceptsFeedback } from './feedback.rules';

const now = new Date('2026-12-04T10:00:00.000Z');

describe('feedback comes after a final status', () => {
  it.each(['refunded', 'withdrawn', 'resolved'] as const)('%s takes it', (status) => {
    expect(acceptsFeedback({ status, appealed: false }, now)).toBe(true);
  });

  it.each(['submitted', 'under_review', 'awaiting_merchant', 'awaiting_customer', 'approved'] as const)('%s does not', (status) => {
    expect(acceptsFeedback({ status, appealed: false }, now)).toBe(false);
  });

  it('a rejection takes it once it can no longer be appealed', () => {
    expect(acceptsFeedback({ status: 'rejected', appealed: false, appealBy: '2026-12-05T00:00:00.000Z' }, now)).toBe(false);
    expect(acceptsFeedback({ status: 'rejected', appealed: false, appealBy: '2026-12-04T09:59:59.999Z' }, now)).toBe(true);
    expect(acceptsFeedback({ status: 'rejected', appealed: true, appealBy: '2026-12-05T00:00:00.000Z' }, now)).toBe(true);
  });
});
