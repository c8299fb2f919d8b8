import { randomUUID } from 'node:crypto';
import { envelope, publishEvent, request, waitFor } from '@recourse/testing';

/** Publishes a payment as the wallet core would and waits until intake knows it. */
export async function recordPayment(intakeUrl: string, token: string, customerId: string, changes: Record<string, unknown> = {}): Promise<string> {
  const paymentId = `pay-${randomUUID()}`;
  await publishEvent(envelope('payment.recorded', null, {
    paymentId, customerId, merchantId: 'm-fixtures', amount: 4_200, currency: 'CNY', status: 'succeeded', debited: true,
    createdAt: new Date().toISOString(), ...changes,
  }));
  await waitFor(async () => (await request(intakeUrl, 'GET', `/v1/payments/${paymentId}`, { token })).status === 200, 'payment recorded');
  return paymentId;
}

export const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
export const PDF = Buffer.from('%PDF-1.7\n%âãÏÓ\n');
/** A Windows executable's first bytes ("MZ"). */
export const EXE = Buffer.from('4d5a90000300000004000000ffff0000', 'hex');
