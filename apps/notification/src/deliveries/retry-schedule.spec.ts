import { nextStep } from './retry-schedule.rules';

describe('webhook retry schedule', () => {
  const schedule = [5_000, 300_000];
  const now = new Date('2026-11-24T08:30:00.000Z');

  it('waits each step of the schedule in turn, then fails', () => {
    expect(nextStep(1, 'failed', schedule, now)).toEqual({ status: 'pending', nextAttemptAt: new Date('2026-11-24T08:30:05.000Z') });
    expect(nextStep(2, 'failed', schedule, now)).toEqual({ status: 'pending', nextAttemptAt: new Date('2026-11-24T08:35:00.000Z') });
    expect(nextStep(3, 'failed', schedule, now)).toEqual({ status: 'failed', nextAttemptAt: null });
  });

  it('stops at success or 410 Gone', () => {
    expect(nextStep(2, 'succeeded', schedule, now)).toEqual({ status: 'delivered', nextAttemptAt: null });
    expect(nextStep(1, 'gone', schedule, now)).toEqual({ status: 'failed', nextAttemptAt: null });
  });

  it('gives a manual retry past the schedule one attempt', () => {
    expect(nextStep(9, 'failed', schedule, now).status).toBe('failed');
  });
});
