// The demo's first five disputes, each from the customer's app (or a phone agent) to its final state, as a wallet's
// customers, staff and merchants would drive them through the public APIs.
import { fileDispute, IntakeSchemas, InvestigationSchemas, ok, RecourseClient, untilAdmitted } from '@recourse/client';
import { Role } from '@recourse/contracts';
import { tokenFor, waitFor } from '@recourse/testing';
import { CUSTOMERS, Customer, Merchant, MERCHANTS, money, PaymentKey, PlannedPayment, SLAS } from './cast';
import { Hook } from './webhooks';

type Dispute = IntakeSchemas['DisputeView'];
type CaseView = InvestigationSchemas['CaseView'];
type Payments = Record<PaymentKey, string>;

/** What a scenario needs of the running demo: the client, the webhooks received so far. */
export interface Stage {
  api: RecourseClient;
  hooks: Hook[];
  /** Records more payments as the wallet core would, once intake and investigation hold them; their ids in order. */
  publish(payments: readonly PlannedPayment[]): Promise<string[]>;
}

export interface Expected {
  status: Dispute['status'];
  outcome: NonNullable<Dispute['outcome']>;
  /** `type` or `type:outcome`, in the order they must arrive. */
  webhooks: string[];
}

export interface Ending {
  dispute: Dispute;
  customer: Customer;
  token: string;
  merchant: Merchant;
}

const WAIT_MS = 30_000; // the longest any one step may take before its scenario fails

/** Polls `check` until it returns something truthy; throws naming `what` after 30 s. */
export const until = <T>(what: string, check: () => Promise<T | null | undefined> | T | null | undefined) => waitFor(check, what, WAIT_MS, { intervalMs: 150 });

const sign = (sub: string, roles: Role[], claims: { merchantId?: string; locale?: string } = {}) => tokenFor({ sub, roles, ...claims });
export const staff = {
  agent: () => sign('agent-wang', ['agent'], { locale: 'zh-CN' }),
  // A senior investigator who is also a supervisor: four eyes still needs someone else.
  investigator: () => sign('inv-zhou', ['investigator', 'supervisor']),
  supervisor: () => sign('sup-he', ['supervisor']),
  admin: () => sign('ops-admin', ['admin']),
};
export const customerToken = (customer: Customer) => sign(customer.id, ['customer'], { locale: customer.locale });
export const merchantToken = (merchant: Merchant) => sign(`${merchant.id}-ops`, ['merchant'], { merchantId: merchant.id });

/** One scenario's narration and the waits it shares with the others. */
export class Scenario {
  readonly lines: string[] = [];
  private readonly started = Date.now();

  constructor(
    readonly number: number,
    readonly title: string,
    readonly stage: Stage,
  ) {}

  step(text: string): void {
    this.lines.push(`  +${((Date.now() - this.started) / 1000).toFixed(1).padStart(4)}s  ${text}`);
  }

  dispute(id: string, token: string): Promise<Dispute> {
    return ok(this.stage.api.withToken(token).intake.GET('/v1/disputes/{id}', { params: { path: { id } } }));
  }

  untilStatus(id: string, token: string, status: Dispute['status']): Promise<Dispute> {
    return until(`dispute ${id} to read ${status} at intake`, async () => {
      const dispute = await this.dispute(id, token);
      return dispute.status === status ? dispute : null;
    });
  }

  untilCase(id: string, investigator: string, check: (found: CaseView) => boolean, what: string): Promise<CaseView> {
    return until(`case ${id}: ${what}`, async () => {
      const { data } = await this.stage.api.withToken(investigator).investigation.GET('/v1/cases/{id}', { params: { path: { id } } });
      return data && check(data) ? data : null;
    });
  }

  /** The rule triage applied, from the case's audit trail; the scenario fails unless it is `expected`. */
  async triagedBy(id: string, expected: string | null): Promise<{ rule: string | null; explanation?: string }> {
    const trail = await ok(this.stage.api.withToken(await staff.investigator()).investigation.GET('/v1/cases/{id}/audit', { params: { path: { id } } }));
    const triaged = trail.data.find((entry) => entry.action === 'case.triaged')?.data as { rule?: string | null; explanation?: string } | undefined;
    if (triaged?.rule !== expected) throw new Error(`triage applied ${triaged?.rule ?? 'nothing'}, expected ${expected}`);
    return { rule: expected, explanation: triaged.explanation };
  }

  untilWebhook(disputeId: string, type: string, outcome?: string): Promise<Hook> {
    return until(`the ${type}${outcome ? ` (${outcome})` : ''} webhook of ${disputeId}`, () =>
      this.stage.hooks.find((hook) => hook.type === type && hook.data.disputeId === disputeId && (!outcome || hook.data.outcome === outcome)));
  }

  /** Files as the app does (fileDispute): one Idempotency-Key, retried after `503 overloaded` as Retry-After says. */
  async file(token: string, body: IntakeSchemas['CreateDisputeDto']): Promise<Dispute> {
    const filed = await fileDispute(() => this.stage.api.withToken(token).intake, body);
    return filed.dispute ?? this.dispute(filed.disputeId, token);
  }
}

async function duplicateCharge(s: Scenario, payments: Payments): Promise<Ending> {
  const customer = CUSTOMERS.lin;
  const token = await customerToken(customer);
  s.step(`${customer.id} bought a book at ${MERCHANTS.books.name} and was charged ${money(12950)} twice, 40 s apart`);
  const dispute = await s.file(token, { paymentId: payments.bookTwice, reason: 'duplicate_charge', description: '同一本书被扣了两次款。' });
  s.step(`the app files duplicate_charge on the second payment → dispute ${dispute.id} (${dispute.status})`);
  const done = await s.untilStatus(dispute.id, token, 'refunded');
  const triaged = await s.triagedBy(dispute.id, 'duplicate_charge');
  s.step(`triage rule duplicate_charge approved it (${triaged.explanation}); refund booked → ${done.status}, ${money(done.refundedAmount)} back`);
  return { dispute: done, customer, token, merchant: MERCHANTS.books };
}

async function failedButDebited(s: Scenario, payments: Payments): Promise<Ending> {
  const customer = CUSTOMERS.emma;
  const token = await customerToken(customer);
  for (const locale of ['en', 'zh-CN'] as const) {
    const payment = await ok(s.stage.api.withToken(token).intake.GET('/v1/payments/{id}', { params: { path: { id: payments.train }, query: { locale } } }));
    s.step(`the app shows the ${money(payment.amount)} train ticket as ${payment.status} (${payment.failureReason}) [${locale}]: ${payment.explanation}`);
  }
  const dispute = await s.file(token, { paymentId: payments.train, reason: 'payment_failed_but_debited', description: 'The ticket purchase failed but my balance went down.' });
  s.step(`${customer.id} files payment_failed_but_debited → dispute ${dispute.id}`);
  const done = await s.untilStatus(dispute.id, token, 'refunded');
  const triaged = await s.triagedBy(dispute.id, 'payment_failed_but_debited');
  s.step(`triage rule payment_failed_but_debited approved it (${triaged.explanation}) → ${done.status}, ${money(done.refundedAmount)} back`);
  return { dispute: done, customer, token, merchant: MERCHANTS.rail };
}

async function phoneAgentUnrecognised(s: Scenario, payments: Payments): Promise<Ending> {
  const customer = CUSTOMERS.zhang;
  const token = await customerToken(customer);
  const [agent, investigator] = await Promise.all([staff.agent(), staff.investigator()]);
  const asInvestigator = s.stage.api.withToken(investigator).investigation;
  s.step(`${customer.id} calls: a ${money(68000)} charge from ${MERCHANTS.games.name} is not theirs; agent-wang checks identity by SMS code`);
  const dispute = await s.file(agent, {
    paymentId: payments.gems, customerId: customer.id, reason: 'unrecognized_charge', locale: 'zh-CN', identityCheck: { method: 'sms_code', passed: true },
    description: '客户来电：从未在星辰游戏充值，怀疑账户被盗。', contact: { phone: '+86 138 0013 8000' },
  });
  s.step(`agent files unrecognized_charge for the caller → dispute ${dispute.id}, channel ${dispute.channel}`);
  const opened = await s.untilCase(dispute.id, investigator, (found) => found.status === 'under_review', 'opened and queued');
  const audit = await ok(asInvestigator.GET('/v1/cases/{id}/audit', { params: { path: { id: dispute.id } } }));
  if (!audit.data.some((entry) => entry.action === 'case.security_alert')) throw new Error('no case.security_alert on the audit trail');
  await s.triagedBy(dispute.id, null);
  s.step(`triage: no automatic rule, queued (risk score ${opened.risk?.score}); case.security_alert published for the wallet core (possible account takeover)`);
  const credited = await until('the provisional credit', async () => {
    const current = await s.dispute(dispute.id, token);
    return current.timeline.some((entry) => entry.type === 'provisional_credit_issued') ? current : null;
  });
  s.step(`no decision within SLA_PROVISIONAL_CREDIT (${SLAS.SLA_PROVISIONAL_CREDIT}): ${money(68000)} provisionally credited, still ${credited.status}`);
  await ok(asInvestigator.POST('/v1/cases/{id}/decision', {
    params: { path: { id: dispute.id } }, body: { outcome: 'approve', reasonCode: 'account_takeover', explanation: '充值来自陌生设备，确认为盗刷。' },
  }));
  s.step('inv-zhou approves (below the four-eyes threshold): the provisional credit becomes final');
  const done = await s.untilStatus(dispute.id, token, 'refunded');
  return { dispute: done, customer, token, merchant: MERCHANTS.games };
}

const COURIER_RECORD_PDF = Buffer.from('%PDF-1.4\n% courier record SF1234567890: parcel returned to the warehouse on delivery day\n%%EOF\n').toString('base64');

async function fourEyesWithMerchantEvidence(s: Scenario, payments: Payments): Promise<Ending> {
  const customer = CUSTOMERS.li;
  const merchant = MERCHANTS.appliances;
  const token = await customerToken(customer);
  const [investigator, supervisor, merchantOps] = await Promise.all([staff.investigator(), staff.supervisor(), merchantToken(merchant)]);
  const asInvestigator = s.stage.api.withToken(investigator).investigation;
  const dispute = await s.file(token, { paymentId: payments.riceCooker, reason: 'goods_not_received', description: '买的电饭煲一直没有送到，客服也联系不上。' });
  const path = { id: dispute.id };
  s.step(`${customer.id} files goods_not_received for a ${money(258000)} rice cooker → dispute ${dispute.id}`);
  await s.untilCase(dispute.id, investigator, (found) => found.status === 'under_review', 'opened and queued');
  await ok(asInvestigator.POST('/v1/cases/{id}/assign', { params: { path }, body: {} }));
  await ok(asInvestigator.POST('/v1/cases/{id}/request-merchant-evidence', { params: { path }, body: { message: 'Please send the courier record for this order.' } }));
  s.step(`inv-zhou claims the case and asks ${merchant.name} for evidence (due within SLA_MERCHANT_RESPONSE ${SLAS.SLA_MERCHANT_RESPONSE})`);
  const asked = await s.untilWebhook(dispute.id, 'dispute.evidence_requested');
  s.step(`the merchant's server receives dispute.evidence_requested (due ${String(asked.data.dueBy)}) and uploads the courier record`);
  const evidence = await ok(s.stage.api.withToken(merchantOps).investigation.POST('/v1/merchant/disputes/{id}/evidence', {
    params: { path },
    body: { body: 'Courier record attached: the parcel came back to our warehouse.', attachments: [{ fileName: 'courier-record-SF1234567890.pdf', contentType: 'application/pdf', contentBase64: COURIER_RECORD_PDF }] },
  }));
  s.step(`evidence stored: ${evidence.attachments.map((a) => `${a.fileName} (${a.size} bytes, sha256 ${a.sha256.slice(0, 12)}…)`).join(', ')}`);
  await s.untilCase(dispute.id, investigator, (found) => found.status === 'under_review', 'back under review after the evidence');
  const held = await ok(asInvestigator.POST('/v1/cases/{id}/decision', {
    params: { path }, body: { outcome: 'approve', reasonCode: 'goods_not_delivered', explanation: 'The merchant’s own courier record shows the parcel was never delivered.' },
  }));
  if (!held.pendingDecision) throw new Error(`an approval of ${money(258000)} was not held for four eyes`);
  s.step(`inv-zhou approves ${money(258000)}: above FOUR_EYES_THRESHOLD, so it is held as pendingDecision`);
  const own = await asInvestigator.POST('/v1/cases/{id}/decision/approve', { params: { path } });
  if (own.response.status !== 409) throw new Error(`the decider confirming their own decision answered ${own.response.status}, expected 409`);
  s.step(`inv-zhou (also a supervisor) tries to confirm it: ${own.response.status} ${own.error?.code}`);
  await ok(s.stage.api.withToken(supervisor).investigation.POST('/v1/cases/{id}/decision/approve', { params: { path } }));
  s.step('supervisor sup-he confirms: decided, the merchant is liable');
  const done = await s.untilStatus(dispute.id, token, 'refunded');
  return { dispute: done, customer, token, merchant };
}

async function rejectAndAppeal(s: Scenario, payments: Payments): Promise<Ending> {
  const customer = CUSTOMERS.oliver;
  const merchant = MERCHANTS.noodles;
  const token = await customerToken(customer);
  const investigator = await staff.investigator();
  const asInvestigator = s.stage.api.withToken(investigator).investigation;
  const dispute = await s.file(token, { paymentId: payments.dinner, reason: 'incorrect_amount', description: 'I ordered one set meal for ¥179.50 but was charged ¥359.00.' });
  const path = { id: dispute.id };
  s.step(`${customer.id} files incorrect_amount for a ${money(35900)} dinner → dispute ${dispute.id}`);
  await s.untilCase(dispute.id, investigator, (found) => found.status === 'under_review', 'opened and queued');
  await ok(asInvestigator.POST('/v1/cases/{id}/decision', { params: { path }, body: { outcome: 'reject', reasonCode: 'amount_matches_order', explanation: 'The order shows two set meals.' } }));
  const rejected = await s.untilStatus(dispute.id, token, 'rejected');
  s.step(`inv-zhou rejects it → ${rejected.status}; appeal allowed until ${rejected.deadlines.appealBy} (APPEAL_WINDOW ${SLAS.APPEAL_WINDOW})`);
  // Like a filing, an appeal starts downstream work, so intake refuses it with 503 overloaded while the pipeline is behind.
  const appeal = { params: { path }, body: { reason: 'Only one meal arrived; the second was cancelled at the door. Photo of the receipt to follow.' } };
  await ok(untilAdmitted(() => s.stage.api.withToken(token).intake.POST('/v1/disputes/{id}/appeal', appeal)));
  const reopened = await s.untilCase(dispute.id, investigator, (found) => found.status === 'under_review' && found.appealed, 'reopened by the appeal');
  s.step(`${customer.id} appeals within the window → the case reopens (${reopened.status})`);
  await ok(asInvestigator.POST('/v1/cases/{id}/decision', {
    params: { path }, body: { outcome: 'approve', refundAmount: 17950, reasonCode: 'partial_delivery', explanation: 'The restaurant confirms one meal was cancelled.' },
  }));
  s.step(`inv-zhou decides again: approve ${money(17950)} of ${money(35900)}`);
  const done = await s.untilStatus(dispute.id, token, 'refunded');
  return { dispute: done, customer, token, merchant };
}

const refunded = (webhooks: string[]): Expected => ({ status: 'refunded', outcome: 'refunded', webhooks });

export interface ScenarioSpec {
  title: string;
  run: (s: Scenario, payments: Payments) => Promise<Ending>;
  expected: Expected;
}

export const SCENARIOS: ScenarioSpec[] = [
  { title: 'Duplicate charge: approved by the duplicate rule, refunded', run: duplicateCharge, expected: refunded(['dispute.created', 'dispute.resolved:customer_refunded']) },
  { title: 'Payment failed but debited: approved by rule, refunded', run: failedButDebited, expected: refunded(['dispute.created', 'dispute.resolved:customer_refunded']) },
  {
    title: 'Phone agent files an unrecognised charge: security alert, provisional credit, refund', run: phoneAgentUnrecognised,
    expected: refunded(['dispute.created', 'dispute.resolved:customer_refunded']),
  },
  {
    title: 'Manual case: merchant evidence, four eyes, refund', run: fourEyesWithMerchantEvidence,
    expected: refunded(['dispute.created', 'dispute.evidence_requested', 'dispute.resolved:customer_refunded']),
  },
  {
    title: 'Reject and appeal: rejected, appealed within the window, partly refunded', run: rejectAndAppeal,
    expected: { status: 'refunded', outcome: 'partially_refunded', webhooks: ['dispute.created', 'dispute.resolved:rejected', 'dispute.resolved:partially_refunded'] },
  },
];
