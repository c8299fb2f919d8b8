// The access matrix (issue 8): every operation the four running services declare in /docs-json × every kind
// of caller — no token, garbage, a forged signature, an expired token, `alg: none`, an HMAC token keyed with
// the public key, a token without `exp`, a token with no known role, and each of the six roles — gets the
// 401/403/not-401-403 the contract promises. A route missing from OPERATION_ROLES fails the suite, so a new
// route cannot escape it. Then another owner's resources (404, as if they did not exist) and mass assignment.
import { createPrivateKey, createSecretKey, randomUUID } from 'node:crypto';
import { Role } from '@recourse/contracts';
import { forgedToken, readPrivateKey, request, tokenFor, workspaceRoot } from '@recourse/testing';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import {
  existingParams, fillPath, Fixtures, Operation, OPERATION_ROLES, Platform, problemDefect, randomParams, ROLES, SecurityRig, startSecurityRig,
  stopSecurityRig, uniquePng,
} from './security.harness';

const BASE_PORT = 4310;
const ALL_ROLES = [...ROLES] as Role[];

const b64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Tokens that must each be refused with 401 whatever they claim (they all claim every role). */
async function badTokens(): Promise<Record<string, string | undefined>> {
  const key = createPrivateKey(readPrivateKey());
  const now = Math.floor(Date.now() / 1000);
  const claims = { sub: 'sec-intruder', roles: ALL_ROLES, merchantId: 'sec-any-merchant' };
  const publicPem = readFileSync(join(workspaceRoot, '.keys', 'jwt-public.pem'));
  return {
    'no token': undefined,
    garbage: 'not-a-jwt',
    'garbage jwt': `${b64url({ alg: 'ES256' })}.${b64url(claims)}.AAAA`,
    'forged (another key)': await forgedToken({ sub: claims.sub, roles: ALL_ROLES, merchantId: claims.merchantId }),
    expired: await new SignJWT(claims).setProtectedHeader({ alg: 'ES256', typ: 'JWT' }).setIssuedAt(now - 3600).setExpirationTime(now - 60).sign(key),
    'alg none': `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ ...claims, exp: now + 3600 })}.`,
    'HS256 keyed with the public key': await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setExpirationTime(now + 3600).sign(createSecretKey(publicPem)),
    'no exp': await new SignJWT(claims).setProtectedHeader({ alg: 'ES256', typ: 'JWT' }).setIssuedAt().sign(key),
    'no known role': await new SignJWT({ sub: 'sec-nobody', roles: ['root', 'superuser'] }).setProtectedHeader({ alg: 'ES256', typ: 'JWT' }).setExpirationTime(now + 3600).sign(key),
  };
}

/** Runs `tasks` with at most `width` in flight. */
async function pool<T>(tasks: Array<() => Promise<T>>, width = 8): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await tasks[index]();
    }
  }));
  return results;
}

describe('access matrix', () => {
  let platform: Platform;
  let fx: Fixtures;
  let operations: Operation[];
  let rig: SecurityRig;

  beforeAll(async () => {
    rig = await startSecurityRig(BASE_PORT);
    ({ platform, fx, operations } = rig);
  }, 180_000);

  afterAll(() => stopSecurityRig(rig), 30_000);

  const call = (op: Operation, params: Record<string, string>, token?: string, body?: unknown) =>
    request(platform[op.service].url, op.method, fillPath(op.path, params), { token, body: body ?? (op.method === 'POST' ? {} : undefined) });

  it('has a role table entry for every documented operation, and no stale ones', () => {
    const documented = operations.map((op) => op.key).sort();
    expect(documented.length).toBeGreaterThanOrEqual(39);
    expect(documented.filter((key) => !(key in OPERATION_ROLES))).toEqual([]);
    expect(Object.keys(OPERATION_ROLES).filter((key) => !documented.includes(key))).toEqual([]);
  });

  it('refuses every bad token on every operation with a 401 problem', async () => {
    const tokens = await badTokens();
    const failures: string[] = [];
    const tasks = operations.flatMap((op) => Object.entries(tokens).map(([kind, token]) => async () => {
      const response = await call(op, existingParams(fx, op), token);
      const defect = response.status !== 401 ? `status ${response.status}` : problemDefect(response) ?? (response.body.code !== 'unauthorized' ? `code ${response.body.code}` : null);
      if (defect) failures.push(`${op.key} with ${kind}: ${defect}`);
    }));
    await pool(tasks);
    expect(failures).toEqual([]);
    console.log(`access matrix: ${operations.length} operations × ${Object.keys(tokens).length} bad tokens = ${tasks.length} requests, all 401`);
  }, 60_000);

  it('answers 403 to every wrong role and lets every right role through', async () => {
    const failures: string[] = [];
    const tasks = operations.flatMap((op) => ALL_ROLES.map((role) => async () => {
      const allowed = OPERATION_ROLES[op.key]?.includes(role);
      // A right role acts on a random id when the call would change a fixture; reads use the fixtures.
      const params = allowed && op.method !== 'GET' ? randomParams(op) : existingParams(fx, op);
      const response = await call(op, params, fx.tokens[role]);
      let defect: string | null = null;
      if (!allowed) defect = response.status !== 403 ? `status ${response.status}` : problemDefect(response) ?? (response.body.code !== 'forbidden' ? `code ${response.body.code}` : null);
      else if (response.status === 401 || response.status === 403 || response.status >= 500) defect = `status ${response.status} ${JSON.stringify(response.body)}`;
      else if (response.status >= 400) defect = problemDefect(response);
      if (defect) failures.push(`${op.key} as ${role} (${allowed ? 'allowed' : 'not allowed'}): ${defect}`);
    }));
    await pool(tasks);
    expect(failures).toEqual([]);
    console.log(`access matrix: ${operations.length} operations × ${ALL_ROLES.length} roles = ${tasks.length} requests`);
  }, 60_000);

  it('lets a right role read its fixtures (the matrix reaches the handlers, not only the guard)', async () => {
    const { intake, investigation, refund, notification } = platform;
    const reads: Array<[string, string, string, Role]> = [
      [intake.url, `/v1/disputes/${fx.disputeA}`, fx.disputeA, 'customer'],
      [intake.url, `/v1/disputes/${fx.disputeA}`, fx.disputeA, 'agent'],
      [intake.url, `/v1/payments/${fx.paymentA}`, fx.paymentA, 'customer'],
      [investigation.url, `/v1/cases/${fx.disputeA}`, fx.disputeA, 'investigator'],
      [investigation.url, `/v1/merchant/disputes/${fx.disputeA}`, fx.disputeA, 'merchant'],
      [refund.url, `/v1/refunds/${fx.refundA}`, fx.refundA, 'supervisor'],
    ];
    for (const [url, path, id, role] of reads) {
      const response = await request(url, 'GET', path, { token: fx.tokens[role] });
      expect([path, role, response.status, response.body.id]).toEqual([path, role, 200, id]);
    }
    const inbox = await request(notification.url, 'GET', '/v1/notifications', { token: fx.tokens.customer });
    expect(inbox.body.data.map((n: { id: string }) => n.id)).toContain(fx.notificationA);
  });

  it('answers 404, exactly as for a missing id, to another owner’s resources, and changes nothing', async () => {
    const { intake, investigation, notification } = platform;
    const { customerB, merchantB } = fx.tokens;
    const probes: Array<[string, string, string, string, unknown]> = [
      [intake.url, 'GET', '/v1/disputes/{id}', fx.disputeA, undefined],
      [intake.url, 'POST', '/v1/disputes/{id}/messages', fx.disputeA, { body: 'not mine' }],
      [intake.url, 'GET', '/v1/disputes/{id}/thread', fx.disputeA, undefined],
      [intake.url, 'POST', '/v1/disputes/{id}/withdraw', fx.disputeA, {}],
      [intake.url, 'POST', '/v1/disputes/{id}/appeal', fx.disputeA, { reason: 'not mine' }],
      [intake.url, 'GET', '/v1/payments/{id}', fx.paymentA, undefined],
      [notification.url, 'POST', '/v1/notifications/{id}/read', fx.notificationA, undefined],
    ];
    const merchantProbes: typeof probes = [
      [investigation.url, 'GET', '/v1/merchant/disputes/{id}', fx.disputeA, undefined],
      [investigation.url, 'POST', '/v1/merchant/disputes/{id}/evidence', fx.disputeA, { body: 'not mine' }],
      [investigation.url, 'POST', '/v1/merchant/disputes/{id}/messages', fx.disputeA, { body: 'not mine', visibility: 'all' }],
      [investigation.url, 'POST', '/v1/merchant/disputes/{id}/accept', fx.disputeA, undefined],
      [notification.url, 'GET', '/v1/webhook-endpoints/{id}/deliveries', fx.endpointA, undefined],
      [notification.url, 'POST', '/v1/webhook-endpoints/{id}/rotate-secret', fx.endpointA, undefined],
      [notification.url, 'POST', `/v1/webhook-endpoints/{id}/deliveries/${fx.eventA}/retry`, fx.endpointA, undefined],
      [notification.url, 'DELETE', '/v1/webhook-endpoints/{id}', fx.endpointA, undefined],
    ];
    const failures: string[] = [];
    for (const [token, list] of [[customerB, probes], [merchantB, merchantProbes]] as const) {
      for (const [url, method, template, id, body] of list) {
        const theirs = await request(url, method, template.replace('{id}', id), { token, body });
        const missing = await request(url, method, template.replace('{id}', `sec-${randomUUID()}`), { token, body });
        const shape = (r: typeof theirs) => [r.status, r.body?.code, r.body?.title];
        if (theirs.status !== 404 || problemDefect(theirs) || JSON.stringify(shape(theirs)) !== JSON.stringify(shape(missing))) {
          failures.push(`${method} ${template}: ${JSON.stringify(shape(theirs))} vs missing ${JSON.stringify(shape(missing))}`);
        }
      }
    }
    expect(failures).toEqual([]);

    // Lists never show another owner's entries, whatever filter is asked for.
    const disputes = await request(intake.url, 'GET', `/v1/disputes?customerId=${fx.customerA}`, { token: customerB });
    expect(disputes.status).toBe(200);
    expect(disputes.body.data.filter((d: { customerId: string }) => d.customerId !== fx.customerB)).toEqual([]);
    const payments = await request(intake.url, 'GET', `/v1/payments?customerId=${fx.customerA}`, { token: customerB });
    expect(payments.status).toBe(200);
    expect(payments.body.data.filter((p: { customerId: string }) => p.customerId !== fx.customerB)).toEqual([]);
    const inbox = await request(notification.url, 'GET', '/v1/notifications', { token: customerB });
    expect(inbox.body.data.map((n: { id: string }) => n.id)).not.toContain(fx.notificationA);
    const merchantDisputes = await request(investigation.url, 'GET', '/v1/merchant/disputes', { token: merchantB });
    expect(merchantDisputes.body.data.map((d: { id: string }) => d.id)).not.toContain(fx.disputeA);
    const endpoints = await request(notification.url, 'GET', '/v1/webhook-endpoints', { token: merchantB });
    expect(endpoints.body.data.map((e: { id: string }) => e.id)).not.toContain(fx.endpointA);
    // Filing on someone else's payment is "no such payment for this customer".
    const filed = await request(intake.url, 'POST', '/v1/disputes', { token: customerB, body: { paymentId: fx.freshPaymentA, reason: 'other', description: 'not mine' } });
    expect([filed.status, filed.body.code]).toEqual([422, 'payment_not_found']);

    // Nothing the intruders tried took effect.
    const dispute = await request(intake.url, 'GET', `/v1/disputes/${fx.disputeA}`, { token: fx.tokens.customer });
    expect(dispute.body.timeline.map((t: { message: string }) => t.message).join('\n')).not.toContain('not mine');
    expect(dispute.body.status).toBe('refunded');
    const mine = await request(notification.url, 'GET', '/v1/webhook-endpoints', { token: fx.tokens.merchant });
    expect(mine.body.data.map((e: { id: string }) => e.id)).toContain(fx.endpointA);
    const myInbox = await request(notification.url, 'GET', '/v1/notifications', { token: fx.tokens.customer });
    expect(myInbox.body.data.find((n: { id: string }) => n.id === fx.notificationA).readAt).toBeNull();
  }, 60_000);

  it('does not let a merchant token without a merchantId see any merchant’s data', async () => {
    const { investigation, notification } = platform;
    const token = await tokenFor({ sub: `sec-merchantless-${randomUUID()}`, roles: ['merchant'] });
    for (const [url, path] of [[investigation.url, '/v1/merchant/disputes'], [investigation.url, `/v1/merchant/disputes/${fx.disputeA}`], [notification.url, '/v1/webhook-endpoints']]) {
      const response = await request(url, 'GET', path, { token });
      expect([path, response.status >= 400 && response.status < 500, problemDefect(response)]).toEqual([path, true, null]);
    }
  });

  describe('mass assignment', () => {
    type Probe = { name: string; url: () => string; method: string; path: () => string; token: () => string; base: () => Record<string, unknown>; extras: Record<string, unknown> };
    const probes: Probe[] = [
      {
        name: 'customer files a dispute', url: () => platform.intake.url, method: 'POST', path: () => '/v1/disputes', token: () => fx.tokens.customer,
        base: () => ({ paymentId: fx.freshPaymentA, reason: 'other', description: 'mass assignment probe' }),
        extras: { status: 'refunded', refundedAmount: 9_900, outcome: 'refunded', id: 'sec-chosen-id', customerId: 'sec-someone-else', merchantId: 'sec-other-merchant', channel: 'web', currency: 'USD', createdAt: '2020-01-01T00:00:00.000Z', deadlines: {}, timeline: [], filedBy: 'x' },
      },
      {
        name: 'agent files a dispute', url: () => platform.intake.url, method: 'POST', path: () => '/v1/disputes', token: () => fx.tokens.agent,
        base: () => ({ paymentId: fx.freshPaymentA, customerId: fx.customerA, reason: 'other', description: 'mass assignment probe', identityCheck: { method: 'sms_code', passed: true } }),
        extras: { status: 'approved', refundedAmount: 1, outcome: 'refunded', id: 'sec-chosen-id', channel: 'app' },
      },
      {
        name: 'customer adds a message', url: () => platform.intake.url, method: 'POST', path: () => `/v1/disputes/${fx.disputeA}/messages`, token: () => fx.tokens.customer,
        base: () => ({ body: 'mass assignment probe' }), extras: { id: 'x', disputeId: 'x', status: 'under_review', createdAt: '2020-01-01T00:00:00.000Z' },
      },
      {
        name: 'customer withdraws', url: () => platform.intake.url, method: 'POST', path: () => `/v1/disputes/${fx.disputeA}/withdraw`, token: () => fx.tokens.customer,
        base: () => ({}), extras: { status: 'withdrawn', outcome: 'withdrawn', refundedAmount: 0, withdrawal: { status: 'confirmed' } },
      },
      {
        name: 'investigator decides', url: () => platform.investigation.url, method: 'POST', path: () => `/v1/cases/${fx.disputeA}/decision`, token: () => fx.tokens.investigator,
        base: () => ({ outcome: 'approve', reasonCode: 'probe', explanation: 'mass assignment probe' }), extras: { status: 'refunded', refundedAmount: 1, decidedBy: 'x', pendingDecision: null },
      },
      {
        name: 'investigator writes a note', url: () => platform.investigation.url, method: 'POST', path: () => `/v1/cases/${fx.disputeA}/notes`, token: () => fx.tokens.investigator,
        base: () => ({ body: 'mass assignment probe', kind: 'note' }), extras: { id: 'x', author: 'x', createdAt: '2020-01-01T00:00:00.000Z', status: 'under_review' },
      },
      {
        name: 'merchant sends evidence', url: () => platform.investigation.url, method: 'POST', path: () => `/v1/merchant/disputes/${fx.disputeA}/evidence`, token: () => fx.tokens.merchant,
        base: () => ({ body: 'mass assignment probe' }), extras: { status: 'under_review', merchantId: 'x', outcome: 'rejected' },
      },
      {
        name: 'merchant creates an endpoint', url: () => platform.notification.url, method: 'POST', path: () => '/v1/webhook-endpoints', token: () => fx.tokens.merchant,
        base: () => ({ url: 'http://127.0.0.1:9/probe' }), extras: { id: 'x', secret: 'whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', enabled: false, merchantId: 'sec-other-merchant', createdAt: '2020-01-01T00:00:00.000Z' },
      },
      {
        name: 'admin freezes an account', url: () => platform.refund.url, method: 'POST', path: () => `/v1/ledger/accounts/customer:sec-${randomUUID()}/freeze`, token: () => fx.tokens.admin,
        base: () => ({ reason: 'probe' }), extras: { frozen: false, frozenBy: 'x', account: 'platform:disputes' },
      },
    ];

    it.each(probes.map((probe) => [probe.name, probe] as const))('refuses extra fields when a %s', async (_, probe) => {
      const failures: string[] = [];
      for (const [field, value] of Object.entries(probe.extras)) {
        const response = await request(probe.url(), probe.method, probe.path(), { token: probe.token(), body: { ...probe.base(), [field]: value } });
        const listed = Array.isArray(response.body?.errors) && response.body.errors.some((e: { field: string }) => e.field === field);
        if (response.status !== 400 || response.body?.code !== 'validation_failed' || !listed || problemDefect(response)) {
          failures.push(`${field}: ${response.status} ${JSON.stringify(response.body)}`);
        }
      }
      expect(failures).toEqual([]);
    });

    it('refuses extra fields nested in contact and attachments, and creates nothing', async () => {
      const base = { paymentId: fx.freshPaymentA, reason: 'other', description: 'mass assignment probe' };
      const nested: Array<[string, Record<string, unknown>]> = [
        ['contact.verified', { contact: { email: 'a@example.com', verified: true } }],
        ['attachments.0.size', { attachments: [{ ...uniquePng(), size: 1 }] }],
        ['attachments.0.sha256', { attachments: [{ ...uniquePng(), sha256: 'x' }] }],
      ];
      for (const [field, extra] of nested) {
        const response = await request(platform.intake.url, 'POST', '/v1/disputes', { token: fx.tokens.customer, body: { ...base, ...extra } });
        expect([field, response.status, response.body.code, response.body.errors?.map((e: { field: string }) => e.field)]).toEqual([field, 400, 'validation_failed', expect.arrayContaining([field])]);
      }
      const payment = await request(platform.intake.url, 'GET', `/v1/payments/${fx.freshPaymentA}`, { token: fx.tokens.customer });
      expect(payment.body.disputeId).toBeNull();
    });
  });
});
