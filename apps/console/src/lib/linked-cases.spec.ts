import { paymentDevice, relatedByLink, ringCluster, ringWarning } from './linked-cases';

describe('a case’s links to others', () => {
  it('groups related cases by link, strongest first, keeping the service’s order within one', () => {
    const related = [
      { caseId: 'c-dev-1', link: 'device' as const },
      { caseId: 'c-dev-2', link: 'device' as const },
      { caseId: 'c-amt', link: 'merchant_amount' as const },
      { caseId: 'c-ip', link: 'ip' as const },
    ];
    expect(relatedByLink(related)).toEqual([
      { link: 'device', caseIds: ['c-dev-1', 'c-dev-2'] },
      { link: 'ip', caseIds: ['c-ip'] },
      { link: 'merchant_amount', caseIds: ['c-amt'] },
    ]);
    expect(relatedByLink([])).toEqual([]);
  });

  it('reads the device a payment names, ignoring what is not one', () => {
    expect(paymentDevice({ device: { id: 'phone-1', ip: '2001:db8::7' } })).toEqual({ id: 'phone-1', ip: '2001:db8::7' });
    expect(paymentDevice({ device: { ip: '203.0.113.9' } })).toEqual({ ip: '203.0.113.9' });
    expect(paymentDevice({})).toBeNull();
    expect(paymentDevice({ device: 'phone-1' })).toBeNull();
    expect(paymentDevice({ device: { id: '', ip: 7 } })).toBeNull();
  });

  it('finds the ring’s cluster in the newest security alert that names one', () => {
    const takeover = { action: 'case.security_alert', data: { customerId: 'c1', reason: 'possible account takeover' } };
    const first = { action: 'case.security_alert', data: { customerId: 'c1', cluster: { deviceId: 'phone-1', customerIds: ['c1', 'c2', 'c3'] } } };
    const later = { action: 'case.security_alert', data: { customerId: 'c1', cluster: { deviceId: 'phone-1', customerIds: ['c1', 'c2', 'c3', 'c4'] } } };
    const assigned = { action: 'case.assigned', data: { assignee: 'ada' } };
    expect(ringCluster([takeover, first, later, assigned])).toEqual({ deviceId: 'phone-1', customerIds: ['c1', 'c2', 'c3', 'c4'] });
    expect(ringCluster([takeover, assigned])).toBeNull();
    expect(ringCluster([{ action: 'case.security_alert', data: { cluster: { deviceId: 'phone-1', customerIds: 'c1' } } }])).toBeNull();
    expect(ringCluster([])).toBeNull();
  });

  it('warns of a fraud ring only on a flagged case, naming its device, its customers and the cases sharing the device', () => {
    const item = {
      flags: ['fraud_ring'],
      payment: { device: { id: 'phone-1' } },
      related: [{ caseId: 'c-dev', link: 'device' as const }, { caseId: 'c-cust', link: 'customer' as const }],
    };
    const cluster = { deviceId: 'phone-1', customerIds: ['c1', 'c2', 'c3'] };
    expect(ringWarning(item, cluster)).toEqual({ deviceId: 'phone-1', customerIds: ['c1', 'c2', 'c3'], caseIds: ['c-dev'] });
    // Before the audit trail is read, the payment's device and no customers.
    expect(ringWarning(item, null)).toEqual({ deviceId: 'phone-1', customerIds: [], caseIds: ['c-dev'] });
    expect(ringWarning({ ...item, flags: ['sla_breached'] }, cluster)).toBeNull();
    expect(ringWarning({ ...item, payment: {} }, null)).toEqual({ deviceId: null, customerIds: [], caseIds: ['c-dev'] });
  });
});
