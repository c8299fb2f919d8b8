// The demo's mass incident (CONTRACT §12): a streaming service's billing job re-ran last night's subscription
// renewals, so 300 subscribers were charged ¥68 twice, 12 hours apart. Too far apart for the 10-minute duplicate
// rule and above the small-amount fast track, each dispute waits in the queue, until the twentieth within the hour
// opens an incident that the rest join. One supervisor resolves all of them in one call, at the merchant's cost;
// each case still gets its own decision, audit entry and refund.
import { InvestigationSchemas, ok } from '@recourse/client';
import { Customer, MERCHANTS, money, PlannedPayment } from './cast';
import { customerToken, Ending, Scenario, ScenarioSpec, staff, until } from './scenarios';

type Incident = InvestigationSchemas['IncidentView'];

const SUBSCRIBERS = 300;
const PRICE = 6800; // ¥68.00 a month: above AUTO_APPROVE_MAX, below FOUR_EYES_THRESHOLD
const FILING_CONCURRENCY = 20;

const subscriber = (n: number): Customer => ({ id: `c-sunrise-${String(n).padStart(3, '0')}`, locale: n % 2 ? 'en' : 'zh-CN' });

async function inBatches<T, R>(items: readonly T[], size: number, each: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += size) results.push(...(await Promise.all(items.slice(start, start + size).map(each))));
  return results;
}

async function duplicateBillingIncident(s: Scenario): Promise<Ending> {
  const merchant = MERCHANTS.streaming;
  const subscribers = Array.from({ length: SUBSCRIBERS }, (_, n) => subscriber(n + 1));
  const renewal = (customer: Customer, secondsAgo: number): PlannedPayment => ({ customer, merchant, amount: PRICE, secondsAgo });
  // Each subscriber's renewal (14 h ago) and the re-run's second charge (2 h ago); the second is disputed.
  const ids = await s.stage.publish(subscribers.flatMap((customer) => [renewal(customer, 14 * 3600), renewal(customer, 2 * 3600)]));
  const charged = subscribers.map((customer, n) => ({ customer, paymentId: ids[2 * n + 1] }));
  s.step(`${merchant.name}'s billing job re-runs: ${SUBSCRIBERS} subscribers charged ${money(PRICE)} a second time, 12 h after their renewal`);

  const disputes = await inBatches(charged, FILING_CONCURRENCY, async ({ customer, paymentId }) => s.file(await customerToken(customer), {
    paymentId, reason: 'duplicate_charge', locale: customer.locale,
    description: customer.locale === 'en' ? 'My subscription was charged twice this month.' : '本月会员费被扣了两次。',
  }));
  s.step(`${SUBSCRIBERS} subscribers file duplicate_charge from the app; triage queues each (12 h apart: no 10-minute duplicate; ${money(PRICE)}: above the fast track)`);

  const supervisor = await staff.supervisor();
  const api = s.stage.api.withToken(supervisor);
  const incident = await until(`the incident of ${merchant.id} to hold all ${SUBSCRIBERS} cases`, async () => {
    const { data } = await api.investigation.GET('/v1/incidents', { params: { query: { merchantId: merchant.id, status: 'open' } } });
    const found = data?.data[0];
    return found && found.caseCount === SUBSCRIBERS ? found : null;
  });
  const opened = await until(`the incident.opened webhook of ${incident.id}`, () =>
    s.stage.hooks.find((hook) => hook.type === 'incident.opened' && hook.data.incidentId === incident.id));
  s.step(`incident ${incident.id} opened with ${Number(opened.data.disputeCount)} queued cases within the hour (INCIDENT_MIN_CASES); the rest joined it (${incident.caseCount} cases)`);
  s.step(`${merchant.name} receives the signed incident.opened webhook (${opened.verified ? 'signature verified' : 'SIGNATURE INVALID'}), ${Number(opened.data.disputeCount)} disputes listed`);

  const started = Date.now();
  const resolved: Incident = await ok(api.investigation.POST('/v1/incidents/{id}/resolve', {
    params: { path: { id: incident.id } },
    body: { outcome: 'approve', reasonCode: 'merchant_duplicate_billing', explanation: 'The billing job charged every subscriber twice; each second charge is refunded.', liability: 'merchant' },
  }));
  s.step(`sup-he resolves the incident in one call: approve, liability merchant → ${resolved.resolution?.decidedCount} cases decided in ${((Date.now() - started) / 1000).toFixed(1)} s, each with its own audit entry naming the incident`);

  const refunded = await until(`all ${SUBSCRIBERS} refunds`, async () => {
    let count = 0;
    let cursor: string | undefined;
    do {
      const page = await ok(api.investigation.GET('/v1/cases', { params: { query: { incidentId: incident.id, status: 'refunded', limit: 100, cursor } } }));
      count += page.data.length;
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return count === SUBSCRIBERS ? count : null;
  });
  s.step(`${refunded} refunds booked, one per case, at ${merchant.name}'s cost, ${((Date.now() - started) / 1000).toFixed(1)} s after the call`);
  const disputeIds = new Set(disputes.map((dispute) => dispute.id));
  const told = await until(`${merchant.name}'s ${SUBSCRIBERS} dispute.resolved webhooks`, () => {
    const resolved = new Set(s.stage.hooks.filter((hook) => hook.type === 'dispute.resolved' && disputeIds.has(String(hook.data.disputeId))).map((hook) => hook.data.disputeId));
    return resolved.size === SUBSCRIBERS ? resolved.size : null;
  });
  s.step(`${merchant.name} receives ${told} signed dispute.resolved webhooks (customer_refunded), one per dispute`);

  const first = disputes[0];
  const customer = subscribers[0];
  const token = await customerToken(customer);
  const done = await s.untilStatus(first.id, token, 'refunded');
  return { dispute: done, customer, token, merchant };
}

export const INCIDENT_SCENARIOS: ScenarioSpec[] = [
  {
    title: `A mass incident: ${SUBSCRIBERS} subscribers charged twice, resolved by one supervisor in one action (shown: the first subscriber)`, run: duplicateBillingIncident,
    expected: { status: 'refunded', outcome: 'refunded', webhooks: ['dispute.created', 'dispute.resolved:customer_refunded'] },
  },
];
