// Linked cases (CONTRACT §12), first part: payments carry the device they were made from, and both intake and
// investigation keep it, so cases can later be linked by device and network.
import { randomUUID } from 'node:crypto';
import { RecourseClient } from '@recourse/client';
import { runToolSync, stopAllProcesses, tokenFor, waitFor } from '@recourse/testing';
import { sql } from './chaos-support';
import { startPlatform } from './client-support';

describe('linked cases: the device of a payment', () => {
  let api: RecourseClient;

  beforeAll(async () => {
    ({ api } = await startPlatform(4791));
  }, 120_000);

  afterAll(() => stopAllProcesses(), 30_000);

  it('keeps the device id and ip the wallet core gave, in intake, in investigation and on the case', async () => {
    const customerId = `c-${randomUUID()}`;
    const deviceId = `phone-${randomUUID()}`;
    const customer = api.withToken(await tokenFor({ sub: customerId, roles: ['customer'], locale: 'en' }));
    const investigator = api.withToken(await tokenFor({ sub: 'investigator-linked', roles: ['investigator'] }));
    const { paymentId } = JSON.parse(runToolSync('payment', ['--customer', customerId, '--merchant', `m-${randomUUID()}`, '--amount', '250000',
      '--device', deviceId, '--ip', '2001:db8::7']).trim());
    const { paymentId: plainId } = JSON.parse(runToolSync('payment', ['--customer', customerId, '--merchant', `m-${randomUUID()}`, '--amount', '900']).trim());
    await waitFor(async () => (await sql('SELECT 1 FROM investigation.payments WHERE id = ANY($1)', [[paymentId, plainId]])).length === 2, 'investigation keeps both payments');
    await waitFor(async () => (await sql('SELECT 1 FROM intake.payments WHERE id = ANY($1)', [[paymentId, plainId]])).length === 2, 'intake keeps both payments');
    for (const schema of ['intake', 'investigation']) {
      expect(await sql(`SELECT id, device_id, device_ip FROM ${schema}.payments WHERE id = ANY($1) ORDER BY id = $2 DESC`, [[paymentId, plainId], paymentId])).toEqual([
        { id: paymentId, device_id: deviceId, device_ip: '2001:db8::7' },
        { id: plainId, device_id: null, device_ip: null },
      ]);
    }
    const filed = await customer.intake.POST('/v1/disputes', { body: { paymentId, reason: 'unrecognized_charge', description: 'not me', locale: 'en' } });
    expect(filed.response.status).toBe(201);
    const kase = await waitFor(async () => (await investigator.investigation.GET('/v1/cases/{id}', { params: { path: { id: filed.data!.id } } })).data, 'case opened');
    expect(kase.payment).toMatchObject({ paymentId, device: { id: deviceId, ip: '2001:db8::7' } });
  });

  it('refuses a malformed --ip at the command line, before anything is published', () => {
    expect(() => runToolSync('payment', ['--customer', 'c-x', '--merchant', 'm-x', '--amount', '100', '--ip', 'not-an-ip'])).toThrow(/--ip is an IPv4 or IPv6 address/);
  });
});
