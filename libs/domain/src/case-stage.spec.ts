import fc from 'fast-check';
import { merchantAppealableUntil, merchantCostOf, StageCommand, StageDecision, StageState, stageTransition } from './case-stage';

const DAY = 86_400_000;
const decidedAt = new Date('2026-11-01T00:00:00.000Z');
const byPerson: StageDecision = { outcome: 'approve', refundAmount: 1_000, liability: 'merchant', decidedBy: { type: 'investigator', id: 'inv-1' } };

const decision: fc.Arbitrary<StageDecision> = fc.record({
  outcome: fc.constantFrom<'approve' | 'reject'>('approve', 'reject'),
  refundAmount: fc.integer({ min: 1, max: 10_000 }),
  liability: fc.constantFrom<'merchant' | 'platform'>('merchant', 'platform'),
  decidedBy: fc.record({ type: fc.constantFrom('investigator', 'supervisor', 'merchant', 'system', 'customer'), id: fc.constantFrom('inv-1', 'sup-1', 'm-1', 'triage') }),
}).chain((base) => fc.record({
  split: fc.option(fc.integer({ min: 0, max: base.refundAmount }), { nil: undefined }),
  confirmer: fc.option(fc.constantFrom('sup-1', 'sup-2'), { nil: undefined }),
  prevented: fc.boolean(),
}).map(({ split, confirmer, prevented }): StageDecision => ({
  ...base,
  ...(split === undefined ? {} : { liabilitySplit: { merchant: split, platform: base.refundAmount - split } }),
  ...(confirmer ? { confirmedBy: { type: 'supervisor', id: confirmer } } : {}),
  ...(prevented ? { prevented: true as const } : {}),
})));

const command: fc.Arbitrary<StageCommand> = fc.oneof(
  fc.integer({ min: -DAY, max: 20 * DAY }).map((offset): StageCommand => ({ type: 'merchant_appeal', at: new Date(decidedAt.getTime() + offset), windowMs: 10 * DAY })),
  fc.constantFrom('inv-1', 'sup-1', 'sup-2', 'sup-3').map((by): StageCommand => ({ type: 'rule', by })),
);

describe('case stage (CONTRACT §10 merchant appeal)', () => {
  it('appeals once, from dispute, an approval by a person the merchant paid for, within the window; rules once, never by a decision maker; ruled is final', () => {
    fc.assert(fc.property(decision, fc.array(command, { maxLength: 12 }), (made, commands) => {
      let state: StageState = { stage: 'dispute', decision: made, decidedAt };
      let appeals = 0;
      let rulings = 0;
      for (const next of commands) {
        const before = state.stage;
        const result = stageTransition(state, next);
        if (!result.ok) {
          if (next.type === 'rule' && before === 'pre_arbitration') {
            const makers = [made.decidedBy.id, made.confirmedBy?.id];
            expect(result.reason).toBe(makers.includes(next.by) ? 'four_eyes_required' : 'invalid_transition');
          }
          continue;
        }
        expect(result.state.decision).toBe(made);
        if (next.type === 'merchant_appeal') {
          appeals++;
          expect(before).toBe('dispute');
          expect(made.outcome).toBe('approve');
          expect(['investigator', 'supervisor']).toContain(made.decidedBy.type);
          expect(made.prevented).toBeUndefined();
          expect(merchantCostOf(made)).toBeGreaterThan(0);
          expect(next.at.getTime()).toBeLessThanOrEqual(decidedAt.getTime() + next.windowMs);
          expect(result.state.stage).toBe('pre_arbitration');
        } else {
          rulings++;
          expect(before).toBe('pre_arbitration');
          expect(next.by).not.toBe(made.decidedBy.id);
          expect(next.by).not.toBe(made.confirmedBy?.id);
          expect(result.state.stage).toBe('ruled');
        }
        state = result.state;
      }
      expect(appeals).toBeLessThanOrEqual(1);
      expect(rulings).toBeLessThanOrEqual(appeals);
    }), { numRuns: 3_000 });
  });

  it('lets the merchant appeal a person’s approval at its cost, up to the end of the window and not after', () => {
    const state: StageState = { stage: 'dispute', decision: byPerson, decidedAt };
    expect(merchantAppealableUntil(state, 10 * DAY)).toEqual(new Date(decidedAt.getTime() + 10 * DAY));
    expect(stageTransition(state, { type: 'merchant_appeal', at: new Date(decidedAt.getTime() + 10 * DAY), windowMs: 10 * DAY })).toMatchObject({ ok: true, state: { stage: 'pre_arbitration' } });
    expect(stageTransition(state, { type: 'merchant_appeal', at: new Date(decidedAt.getTime() + 10 * DAY + 1), windowMs: 10 * DAY })).toEqual({ ok: false, reason: 'invalid_transition' });
  });

  it.each<[string, boolean, StageDecision]>([
    ['a person’s approval at the merchant’s cost', true, byPerson],
    ['a supervisor’s approval', true, { ...byPerson, decidedBy: { type: 'supervisor', id: 'sup-1' } }],
    ['a split whose merchant leg is above 0', true, { ...byPerson, liability: 'platform', liabilitySplit: { merchant: 1, platform: 999 } }],
    ['a split the platform bears whole', false, { ...byPerson, liability: 'platform', liabilitySplit: { merchant: 0, platform: 1_000 } }],
    ['an approval the platform bears', false, { ...byPerson, liability: 'platform' }],
    ['the merchant’s own acceptance', false, { ...byPerson, decidedBy: { type: 'merchant', id: 'm-1' } }],
    ['a triage rule', false, { ...byPerson, decidedBy: { type: 'system', id: 'triage' } }],
    ['the merchant’s resolution rule', false, { ...byPerson, prevented: true }],
    ['a rejection', false, { ...byPerson, outcome: 'reject', refundAmount: 0 }],
  ])('%s may be appealed: %s', (_, eligible, made) => {
    expect(merchantAppealableUntil({ decision: made, decidedAt }, DAY) !== null).toBe(eligible);
  });

  it('refuses the ruling to the decider and to the supervisor who confirmed it, with four_eyes_required', () => {
    const state: StageState = { stage: 'pre_arbitration', decision: { ...byPerson, confirmedBy: { type: 'supervisor', id: 'sup-1' } }, decidedAt };
    expect(stageTransition(state, { type: 'rule', by: 'inv-1' })).toEqual({ ok: false, reason: 'four_eyes_required' });
    expect(stageTransition(state, { type: 'rule', by: 'sup-1' })).toEqual({ ok: false, reason: 'four_eyes_required' });
    expect(stageTransition(state, { type: 'rule', by: 'sup-2' })).toMatchObject({ ok: true, state: { stage: 'ruled' } });
    expect(stageTransition({ ...state, stage: 'ruled' }, { type: 'rule', by: 'sup-2' })).toEqual({ ok: false, reason: 'invalid_transition' });
    expect(stageTransition({ ...state, stage: 'dispute' }, { type: 'rule', by: 'sup-2' })).toEqual({ ok: false, reason: 'invalid_transition' });
  });
});
