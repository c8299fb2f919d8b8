import { AuditEntry } from '@recourse/domain';
import { customerTimeline } from './customer-timeline.rules';

const entry = (seq: number, action: string, data: object): AuditEntry => ({
  seq, at: `2026-11-24T08:3${seq}:00.000Z`, actor: { type: 'system', id: 'test' }, action, data, prevHash: '0'.repeat(64), hash: String(seq).repeat(64),
});

const trail = [
  entry(1, 'case.opened', { amount: 129950 }),
  entry(2, 'case.triaged', { rule: null }),
  entry(3, 'customer.message_added', { visibility: 'platform' }),
  entry(4, 'customer.message_added', { visibility: 'all' }),
  entry(5, 'case.note_added', { kind: 'note', shareWithCustomer: false }),
  entry(6, 'case.note_added', { kind: 'call', shareWithCustomer: true }),
  entry(7, 'case.decided', { outcome: 'reject', explanation: '证据不足' }),
];
const money = { currency: 'CNY', locale: 'zh-CN' };

describe('customerTimeline', () => {
  it("lists what the customer was told of, under intake's timeline types", () => {
    expect(customerTimeline(trail, 'investigator', money)).toEqual([
      { at: trail[0].at, type: 'submitted', detail: '¥1,299.50 (129950)' },
      { at: trail[2].at, type: 'message_added', detail: null },
      { at: trail[3].at, type: 'message_added', detail: null },
      { at: trail[5].at, type: 'call_recorded', detail: null },
      { at: trail[6].at, type: 'rejected', detail: '证据不足' },
    ]);
  });

  it("leaves the customer's platform-only messages out of the merchant's", () => {
    expect(customerTimeline(trail, 'merchant', money).map((line) => line.at)).toEqual([trail[0].at, trail[3].at, trail[5].at, trail[6].at]);
  });
});
