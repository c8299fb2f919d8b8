// Shared by the security suites (access matrix, fuzzing, secrets in logs): the four built services started
// as processes with their own consumer groups, the operations their OpenAPI documents declare, the roles
// CONTRACT.md gives each operation, and a few resources owned by known customers and merchants.
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Role, ROLES } from '@recourse/contracts';
import {
  disconnectTestProducer, envelope, JsonResponse, publishEvent, request, ServiceProcess, spawnBuiltService, stopAllProcesses, tokenFor, waitFor,
} from '@recourse/testing';

export const SERVICES = ['intake', 'investigation', 'refund', 'notification'] as const;
export type ServiceName = (typeof SERVICES)[number];
export type Platform = Record<ServiceName, ServiceProcess>;

/**
 * Who may call each operation, from CONTRACT.md §4–§7 (written from the contract, not read from the code,
 * so a missing or wrong @Roles shows up as a failure). Keyed `service METHOD /path` as /docs-json spells it.
 * Every operation a service documents must be here: the access-matrix suite fails on any that is not.
 */
export const OPERATION_ROLES: Record<string, Role[]> = {
  'intake GET /v1/payments': ['customer', 'agent'],
  'intake GET /v1/payments/{id}': ['customer', 'agent'],
  'intake POST /v1/disputes': ['customer', 'agent'],
  'intake GET /v1/disputes': ['customer', 'agent'],
  'intake GET /v1/disputes/{id}': ['customer', 'agent'],
  'intake POST /v1/disputes/{id}/withdraw': ['customer', 'agent'],
  'intake POST /v1/disputes/{id}/appeal': ['customer', 'agent'],
  'intake POST /v1/disputes/{id}/messages': ['customer', 'agent'],
  'intake POST /v1/disputes/{id}/feedback': ['customer', 'agent'],
  'intake GET /v1/disputes/{id}/thread': ['customer', 'agent'],
  'intake POST /v1/disputes/{id}/offers/{offerId}/accept': ['customer', 'agent'],
  'intake POST /v1/disputes/{id}/offers/{offerId}/decline': ['customer', 'agent'],

  'investigation GET /v1/cases': ['investigator', 'supervisor'],
  'investigation GET /v1/cases/{id}': ['investigator', 'supervisor'],
  'investigation GET /v1/cases/{id}/audit': ['investigator', 'supervisor'],
  'investigation GET /v1/cases/{id}/audit/verify': ['investigator', 'supervisor'],
  'investigation GET /v1/cases/{id}/attachments/{sha256}': ['investigator', 'supervisor'],
  'investigation GET /v1/cases/{id}/packet': ['investigator', 'supervisor'],
  'investigation POST /v1/cases/{id}/assign': ['investigator', 'supervisor'],
  // Phone agents write the record of a call (kind "call" only; another kind is 403 in the handler).
  'investigation POST /v1/cases/{id}/notes': ['investigator', 'supervisor', 'agent'],
  'investigation POST /v1/cases/{id}/request-merchant-evidence': ['investigator', 'supervisor'],
  'investigation POST /v1/cases/{id}/request-customer-info': ['investigator', 'supervisor'],
  'investigation POST /v1/cases/{id}/decision': ['investigator', 'supervisor'],
  'investigation POST /v1/cases/{id}/decision/approve': ['supervisor'],
  'investigation POST /v1/cases/{id}/decision/decline': ['supervisor'],
  'investigation POST /v1/cases/{id}/ruling': ['supervisor'],
  'investigation GET /v1/reports/sla': ['investigator', 'supervisor'],
  'investigation GET /v1/reports/complaints': ['supervisor', 'admin'],
  'investigation GET /v1/reports/merchants': ['supervisor', 'admin'],
  'investigation GET /v1/merchant/dispute-rate': ['merchant'],
  'investigation GET /v1/incidents': ['investigator', 'supervisor'],
  'investigation GET /v1/incidents/{id}': ['investigator', 'supervisor'],
  'investigation POST /v1/incidents/{id}/resolve': ['supervisor'],
  'investigation GET /v1/merchant/disputes': ['merchant'],
  'investigation GET /v1/merchant/disputes/{id}': ['merchant'],
  'investigation GET /v1/merchant/disputes/{id}/packet': ['merchant'],
  'investigation POST /v1/merchant/disputes/{id}/evidence': ['merchant'],
  'investigation POST /v1/merchant/disputes/{id}/accept': ['merchant'],
  'investigation POST /v1/merchant/disputes/{id}/messages': ['merchant'],
  'investigation POST /v1/merchant/disputes/{id}/offers': ['merchant'],
  'investigation POST /v1/merchant/disputes/{id}/appeal': ['merchant'],
  'investigation GET /v1/merchant/resolution-rules': ['merchant'],
  'investigation PUT /v1/merchant/resolution-rules': ['merchant'],

  'refund GET /v1/refunds': ['investigator', 'supervisor', 'admin'],
  'refund GET /v1/refunds/{id}': ['investigator', 'supervisor', 'admin'],
  'refund POST /v1/refunds/{id}/retry': ['admin'],
  'refund GET /v1/ledger/accounts/{account}': ['investigator', 'supervisor', 'admin'],
  // Extensions beyond the contract: freezing an account is the wallet core's administrators' business.
  'refund POST /v1/ledger/accounts/{account}/freeze': ['admin'],
  'refund POST /v1/ledger/accounts/{account}/unfreeze': ['admin'],
  'refund GET /v1/ledger/verify': ['admin'],

  'notification GET /v1/notifications': ['customer'],
  'notification POST /v1/notifications/{id}/read': ['customer'],
  'notification POST /v1/webhook-endpoints': ['merchant'],
  'notification GET /v1/webhook-endpoints': ['merchant'],
  'notification DELETE /v1/webhook-endpoints/{id}': ['merchant'],
  'notification POST /v1/webhook-endpoints/{id}/rotate-secret': ['merchant'],
  'notification GET /v1/webhook-endpoints/{id}/deliveries': ['merchant'],
  'notification POST /v1/webhook-endpoints/{id}/deliveries/{eventId}/retry': ['merchant'],
};

export interface Operation {
  key: string;
  service: ServiceName;
  method: string;
  /** The OpenAPI template, e.g. /v1/disputes/{id}. */
  path: string;
  pathParams: string[];
  queryParams: string[];
  hasBody: boolean;
  /** Properties of the JSON request body's schema (resolved $ref), for wrong-type fuzzing. */
  bodyProperties: string[];
}

type OpenApiDoc = {
  paths: Record<string, Record<string, { parameters?: Array<{ in: string; name: string }>; requestBody?: { content?: Record<string, { schema?: { $ref?: string } }> } }>>;
  components?: { schemas?: Record<string, { properties?: Record<string, unknown> }> };
};

/** Every operation each running service declares in its /docs-json. */
export async function loadOperations(platform: Platform): Promise<Operation[]> {
  const operations: Operation[] = [];
  for (const service of SERVICES) {
    const response = await fetch(`${platform[service].url}/docs-json`);
    if (response.status !== 200) throw new Error(`${service} /docs-json answered ${response.status}`);
    const doc = (await response.json()) as OpenApiDoc;
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
        const parameters = operation.parameters ?? [];
        const ref = operation.requestBody?.content?.['application/json']?.schema?.$ref;
        const schema = ref ? doc.components?.schemas?.[ref.split('/').pop()!] : undefined;
        operations.push({
          key: `${service} ${method.toUpperCase()} ${path}`,
          service,
          method: method.toUpperCase(),
          path,
          pathParams: parameters.filter((p) => p.in === 'path').map((p) => p.name),
          queryParams: parameters.filter((p) => p.in === 'query').map((p) => p.name),
          hasBody: Boolean(operation.requestBody),
          bodyProperties: Object.keys(schema?.properties ?? {}),
        });
      }
    }
  }
  return operations;
}

export function fillPath(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(values[name] ?? `sec-${randomUUID()}`));
}

/** Starts the four built services on basePort+1..+4 with consumer groups nobody else uses. */
export async function startPlatform(basePort: number, overrides: Record<string, string> = {}): Promise<Platform> {
  const started = await Promise.all(
    SERVICES.map((name, index) =>
      spawnBuiltService(name, basePort + index + 1, {
        KAFKA_GROUP_ID: `${name}-sec`,
        // The matrix and the fuzzer write far more than 60 times a minute as one caller: the limit is not what they test.
        RATE_LIMIT_PER_MINUTE: '0',
        WEBHOOK_RETRY_SCHEDULE: 'PT1S,PT1S',
        ...overrides,
      }),
    ),
  );
  return Object.fromEntries(started.map((service) => [service.name, service])) as Platform;
}

/** An RFC 9457 problem with a stable snake_case code: what every 4xx must be. */
export function problemDefect(response: JsonResponse): string | null {
  const type = response.headers.get('content-type') ?? '';
  if (!type.startsWith('application/problem+json')) return `content-type ${type || '(none)'}`;
  const body = response.body as { code?: unknown; status?: unknown } | null;
  if (!body || typeof body !== 'object') return 'body is not a JSON object';
  if (typeof body.code !== 'string' || !/^[a-z][a-z0-9_]*$/.test(body.code)) return `code ${JSON.stringify(body.code)}`;
  if (body.status !== response.status) return `status ${JSON.stringify(body.status)} in the body, ${response.status} on the wire`;
  return null;
}

/** A tiny PNG-signed attachment whose base64 is unique to this run. */
export function uniquePng(): { fileName: string; contentType: 'image/png'; contentBase64: string } {
  const bytes = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(48)]);
  return { fileName: 'receipt.png', contentType: 'image/png', contentBase64: bytes.toString('base64') };
}

export async function recordPayment(customerId: string, merchantId: string, amount: number): Promise<string> {
  const paymentId = `pay_sec_${randomUUID().replace(/-/g, '')}`;
  await publishEvent(envelope('payment.recorded', null, {
    paymentId, customerId, merchantId, amount, currency: 'CNY', status: 'succeeded', debited: true, createdAt: new Date().toISOString(),
  } as never));
  return paymentId;
}

/** A webhook receiver on loopback that answers 204 to everything. */
export async function startReceiver(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(204).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks` };
}

export interface Fixtures {
  customerA: string;
  customerB: string;
  merchantA: string;
  merchantB: string;
  tokens: Record<Role, string> & { customerB: string; merchantB: string };
  /** Customer A's payment with a small dispute on it that is auto-approved and refunded. */
  paymentA: string;
  disputeA: string;
  /** Customer A's second payment, no dispute on it. */
  freshPaymentA: string;
  notificationA: string;
  endpointA: string;
  eventA: string;
  refundA: string;
}

/**
 * Customer A (the `customer` token) with a refunded dispute against merchant A (the `merchant` token),
 * a notification in A's inbox, merchant A's endpoint with a delivery, and the refund; customer B and
 * merchant B own nothing of theirs.
 */
export async function createFixtures(platform: Platform, receiverUrl: string): Promise<Fixtures> {
  const run = randomUUID().slice(0, 8);
  const customerA = `sec-cust-a-${run}`;
  const customerB = `sec-cust-b-${run}`;
  const merchantA = `sec-merch-a-${run}`;
  const merchantB = `sec-merch-b-${run}`;
  const tokens = {
    customer: await tokenFor({ sub: customerA, roles: ['customer'], locale: 'en' }),
    agent: await tokenFor({ sub: `sec-agent-${run}`, roles: ['agent'] }),
    investigator: await tokenFor({ sub: `sec-investigator-${run}`, roles: ['investigator'] }),
    supervisor: await tokenFor({ sub: `sec-supervisor-${run}`, roles: ['supervisor'] }),
    merchant: await tokenFor({ sub: `${merchantA}-ops`, roles: ['merchant'], merchantId: merchantA }),
    admin: await tokenFor({ sub: `sec-admin-${run}`, roles: ['admin'] }),
    customerB: await tokenFor({ sub: customerB, roles: ['customer'], locale: 'en' }),
    merchantB: await tokenFor({ sub: `${merchantB}-ops`, roles: ['merchant'], merchantId: merchantB }),
  };
  const { intake, investigation, refund, notification } = platform;
  const endpoint = await request(notification.url, 'POST', '/v1/webhook-endpoints', { token: tokens.merchant, body: { url: receiverUrl } });
  if (endpoint.status !== 201) throw new Error(`endpoint: ${endpoint.status} ${JSON.stringify(endpoint.body)}`);

  const paymentA = await recordPayment(customerA, merchantA, 4_200);
  const freshPaymentA = await recordPayment(customerA, merchantA, 9_900);
  const paymentB = await recordPayment(customerB, merchantB, 1_000);
  // Each payment is keyed by its id, so they may arrive on different partitions in any order.
  for (const [paymentId, token] of [[paymentA, tokens.customer], [freshPaymentA, tokens.customer], [paymentB, tokens.customerB]]) {
    await waitFor(async () => (await request(intake.url, 'GET', `/v1/payments/${paymentId}`, { token })).status === 200, 'intake knows the payments', 30_000);
  }
  const filed = await request(intake.url, 'POST', '/v1/disputes', { token: tokens.customer, body: { paymentId: paymentA, reason: 'goods_not_received', description: 'security fixture' } });
  if (filed.status !== 201) throw new Error(`dispute: ${filed.status} ${JSON.stringify(filed.body)}`);
  const disputeA: string = filed.body.id;

  const notificationA = await waitFor(async () => {
    const inbox = await request(notification.url, 'GET', '/v1/notifications', { token: tokens.customer });
    return inbox.body?.data?.[0]?.id as string | undefined;
  }, 'a notification for customer A', 45_000);
  const eventA = await waitFor(async () => {
    const deliveries = await request(notification.url, 'GET', `/v1/webhook-endpoints/${endpoint.body.id}/deliveries`, { token: tokens.merchant });
    return deliveries.body?.data?.[0]?.eventId as string | undefined;
  }, 'a webhook delivery to merchant A', 45_000);
  const refundA = await waitFor(async () => {
    const refunds = await request(refund.url, 'GET', `/v1/refunds?disputeId=${disputeA}`, { token: tokens.admin });
    return refunds.body?.data?.[0]?.id as string | undefined;
  }, 'the refund of dispute A', 45_000);
  await waitFor(async () => (await request(investigation.url, 'GET', `/v1/merchant/disputes/${disputeA}`, { token: tokens.merchant })).status === 200, 'merchant A sees the dispute', 30_000);
  return { customerA, customerB, merchantA, merchantB, tokens, paymentA, disputeA, freshPaymentA, notificationA, endpointA: endpoint.body.id, eventA, refundA };
}

/** Path parameter values that name fixture resources, per operation (others get a random id). */
export function existingParams(fx: Fixtures, op: Operation): Record<string, string> {
  if (op.path.startsWith('/v1/payments')) return { id: fx.paymentA };
  if (op.path.startsWith('/v1/disputes') || op.path.startsWith('/v1/cases') || op.path.startsWith('/v1/merchant')) return { id: fx.disputeA };
  if (op.path.startsWith('/v1/refunds')) return { id: fx.refundA };
  if (op.path.startsWith('/v1/ledger')) return { account: `customer:${fx.customerA}` };
  if (op.path.startsWith('/v1/notifications')) return { id: fx.notificationA };
  if (op.path.startsWith('/v1/webhook-endpoints')) return { id: fx.endpointA, eventId: fx.eventA };
  return {};
}

export function randomParams(op: Operation): Record<string, string> {
  return Object.fromEntries(op.pathParams.map((name) => [name, name === 'account' ? `customer:sec-${randomUUID()}` : `sec-${randomUUID()}`]));
}

export { ROLES };

/** What a security suite runs against: the platform, a webhook receiver, fixtures and the documented operations. */
export interface SecurityRig {
  platform: Platform;
  receiver: Server;
  fx: Fixtures;
  operations: Operation[];
}

export async function startSecurityRig(basePort: number): Promise<SecurityRig> {
  const hooks = await startReceiver();
  const platform = await startPlatform(basePort);
  const fx = await createFixtures(platform, hooks.url);
  return { platform, receiver: hooks.server, fx, operations: await loadOperations(platform) };
}

export async function stopSecurityRig(rig: SecurityRig | undefined): Promise<void> {
  await stopAllProcesses();
  await disconnectTestProducer();
  await new Promise((resolve) => rig?.receiver.close(resolve) ?? resolve(undefined));
}
