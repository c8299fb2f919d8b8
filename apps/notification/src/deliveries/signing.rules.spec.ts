import { Webhook } from 'standardwebhooks';
import { newWebhookSecret, signatureHeader } from './signing.rules';

describe('Standard Webhooks signing', () => {
  it('makes secrets of 32 random bytes', () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
    expect(newWebhookSecret()).not.toBe(secret);
  });

  it('signs so that the reference library verifies, with either secret during a rotation', () => {
    const [current, previous] = [newWebhookSecret(), newWebhookSecret()];
    const body = JSON.stringify({ type: 'dispute.created', timestamp: '2026-11-24T08:30:00.000Z', data: { amount: 12_950 } });
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = { 'webhook-id': 'evt-1', 'webhook-timestamp': String(timestamp), 'webhook-signature': signatureHeader([current, previous], 'evt-1', timestamp, body) };
    expect(new Webhook(current).verify(body, headers)).toMatchObject({ type: 'dispute.created' });
    expect(new Webhook(previous).verify(body, headers)).toMatchObject({ data: { amount: 12_950 } });
    expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow();
    expect(() => new Webhook(current).verify(`${body} `, headers)).toThrow();
  });
});
