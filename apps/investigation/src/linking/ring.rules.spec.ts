import { DeviceRingHistory, RING_CLUSTER_MAX, RingTracker, securityAlertData } from './ring.rules';

const unrecognised = (caseId: string, customerId: string, deviceId = 'dev-1') => ({ caseId, customerId, paymentId: `p-${caseId}`, reason: 'unrecognized_charge' as const, deviceId });

describe('fraud rings (CONTRACT §12)', () => {
  it("forms with the third customer of a run, counting the run's earlier cases, and flags them", () => {
    const rings = new RingTracker(new Map());
    expect(rings.open(unrecognised('a1', 'A'))).toBeNull();
    expect(rings.open(unrecognised('a2', 'A'))).toBeNull();
    expect(rings.open(unrecognised('b1', 'B'))).toBeNull();
    expect(rings.open(unrecognised('x1', 'X', 'dev-2'))).toBeNull();
    expect(rings.open(unrecognised('c1', 'C'))).toEqual({
      cluster: { deviceId: 'dev-1', customerIds: ['A', 'B', 'C'] },
      earlier: [
        { caseId: 'a1', customerId: 'A', paymentId: 'p-a1', committed: false },
        { caseId: 'a2', customerId: 'A', paymentId: 'p-a2', committed: false },
        { caseId: 'b1', customerId: 'B', paymentId: 'p-b1', committed: false },
      ],
    });
    // Later members join flagged; the earlier ones are flagged already.
    expect(rings.open(unrecognised('a3', 'A'))).toEqual({ cluster: { deviceId: 'dev-1', customerIds: ['A', 'B', 'C'] }, earlier: [] });
    expect(rings.open(unrecognised('d1', 'D'))?.cluster.customerIds).toEqual(['A', 'B', 'C', 'D']);
  });

  it('counts the committed cases, and flags those not flagged yet', () => {
    const history = new Map<string, DeviceRingHistory>([['dev-1', { customers: ['A', 'B'], unflagged: [{ caseId: 'a1', customerId: 'A', paymentId: 'p-a1' }] }]]);
    const rings = new RingTracker(history);
    expect(rings.open(unrecognised('b2', 'B'))).toBeNull();
    expect(rings.open(unrecognised('c1', 'C'))).toEqual({
      cluster: { deviceId: 'dev-1', customerIds: ['A', 'B', 'C'] },
      earlier: [{ caseId: 'a1', customerId: 'A', paymentId: 'p-a1', committed: true }, { caseId: 'b2', customerId: 'B', paymentId: 'p-b2', committed: false }],
    });
  });

  it('needs three different customers, an unrecognised charge and a device id', () => {
    const rings = new RingTracker(new Map([['dev-1', { customers: ['A', 'B'], unflagged: [] }]]));
    expect(rings.open({ ...unrecognised('b9', 'B') })).toBeNull();
    expect(rings.open({ ...unrecognised('c1', 'C'), reason: 'duplicate_charge' })).toBeNull();
    expect(rings.open({ ...unrecognised('c2', 'C'), deviceId: undefined })).toBeNull();
    expect(rings.open(unrecognised('c3', 'C'))).not.toBeNull();
  });

  it(`names at most ${RING_CLUSTER_MAX} customers, the first in id order`, () => {
    const customers = Array.from({ length: RING_CLUSTER_MAX }, (_, n) => `c${String(n + 10).padStart(3, '0')}`);
    const rings = new RingTracker(new Map([['dev-1', { customers, unflagged: [] }]]));
    const joined = rings.open(unrecognised('new', 'c000'));
    expect(joined?.cluster.customerIds).toHaveLength(RING_CLUSTER_MAX);
    expect(joined?.cluster.customerIds[0]).toBe('c000');
    expect(rings.open(unrecognised('last', 'z'))?.cluster.customerIds).not.toContain('z');
  });

  it('says both alerts in one event when a case is both', () => {
    const cluster = { deviceId: 'dev-1', customerIds: ['A', 'B', 'C'] };
    expect(securityAlertData({ customerId: 'C', paymentId: 'p', takeover: true, cluster }).reason).toMatch(/account takeover.*; fraud ring/);
    expect(securityAlertData({ customerId: 'A', paymentId: 'p', takeover: false, cluster })).toEqual({ customerId: 'A', paymentId: 'p', reason: expect.stringMatching(/^fraud ring/), cluster });
    expect(securityAlertData({ customerId: 'A', paymentId: 'p', takeover: true })).toEqual({ customerId: 'A', paymentId: 'p', reason: 'possible account takeover: the customer does not recognise a charge' });
  });
});
