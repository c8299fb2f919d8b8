import { EnvelopeDto, PaymentRecordedData } from '@recourse/contracts';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { paymentRecorded } from './kafka';

/** The message's event, checked with the DTOs the services validate wallet.payments.v1 with. */
function decoded(message: { key: string; value: string }) {
  const event = JSON.parse(message.value);
  const errors = [...validateSync(plainToInstance(EnvelopeDto, event)), ...validateSync(plainToInstance(PaymentRecordedData, event.data))];
  return { event, errors: errors.map((error) => error.toString()) };
}

describe('paymentRecorded: payment.recorded as the wallet core writes it (npm run payment, the demo, the chaos run, the bench)', () => {
  it('is a valid event keyed by its payment id, a succeeded payment always debited', () => {
    const { paymentId, message } = paymentRecorded({ customerId: 'c-1', merchantId: 'm-1', amount: 4200 });
    const { event, errors } = decoded(message);
    expect(errors).toEqual([]);
    expect(message.key).toBe(paymentId);
    expect(paymentId).toMatch(/^pay_[0-9a-f]{32}$/);
    expect(event).toMatchObject({ type: 'payment.recorded', version: 1, disputeId: null, correlationId: event.id, actor: { type: 'system', id: 'wallet-core' } });
    expect(event.data).toEqual({ paymentId, customerId: 'c-1', merchantId: 'm-1', amount: 4200, currency: 'CNY', status: 'succeeded', debited: true, createdAt: event.data.createdAt });
  });

  it('gives a failed payment a failure reason and keeps whether it was debited', () => {
    const createdAt = new Date('2026-12-01T08:00:00.000Z');
    const failed = decoded(paymentRecorded({ paymentId: 'pay-f', customerId: 'c', merchantId: 'm', merchantName: 'Shop', amount: 1, status: 'failed', debited: true, createdAt }).message);
    expect(failed.errors).toEqual([]);
    expect(failed.event.data).toMatchObject({ paymentId: 'pay-f', merchantName: 'Shop', status: 'failed', debited: true, failureReason: 'other', createdAt: createdAt.toISOString() });
    const notDebited = decoded(paymentRecorded({ customerId: 'c', merchantId: 'm', amount: 1, status: 'failed', failureReason: 'network_error' }).message);
    expect(notDebited.event.data).toMatchObject({ debited: false, failureReason: 'network_error' });
  });
});
