import { paymentDevice, relatedByLink, ringWarning } from './linked-cases';

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

  it('warns of a fraud ring only on a flagged case, naming its device and the cases sharing it', () => {
    const item = {
      flags: ['fraud_ring'],
      payment: { device: { id: 'phone-1' } },
      related: [{ caseId: 'c-dev', link: 'device' as const }, { caseId: 'c-cust', link: 'customer' as const }],
    };
    expect(ringWarning(item)).toEqual({ deviceId: 'phone-1', caseIds: ['c-dev'] });
    expect(ringWarning({ ...item, flags: ['sla_breached'] })).toBeNull();
    expect(ringWarning({ ...item, payment: {} })).toEqual({ deviceId: null, caseIds: ['c-dev'] });
  });
});
