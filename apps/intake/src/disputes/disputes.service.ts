import { Injectable } from '@nestjs/common';
import { Actor, DEFAULT_LOCALE, Locale, parseDurationMs } from '@recourse/contracts';
import { deadlinesAtFiling, isWithinDisputeWindow, regimeOf } from '@recourse/domain';
import {
  ALONE, CommonErrors, decodeAttachment, decodeCursor, describeAttachment, idempotentResponse, isUniqueViolation, newEvent, newRowId, Outbox, Page, Principal, ProblemException, Queryable, StatementBatcher, storeAttachments, toPage,
} from '@recourse/platform';
import { DataSource, EntityManager } from 'typeorm';
import { IntakeConfig } from '../intake.config';
import { actableBy } from './dispute-access.rules';
import { toDisputeView } from './dispute.mapper';
import { DisputeRow, DisputesRepository, Filing, TimelineRow } from './disputes.repository';
import { DisputeErrors } from './disputes.errors';
import { CreateDisputeDto } from './dto/create-dispute.dto';
import { DisputeView } from './dto/dispute.view';
import { ListDisputesQuery } from './dto/list-disputes.query';

@Injectable()
export class DisputesService {
  private readonly disputeWindowMs: number;
  private readonly clocks: ReturnType<IntakeConfig['clocks']>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly disputes: DisputesRepository,
    private readonly outbox: Outbox,
    config: IntakeConfig,
  ) {
    this.disputeWindowMs = parseDurationMs(config.DISPUTE_WINDOW)!;
    this.clocks = config.clocks();
  }

  /**
   * Files a dispute against one of the customer's payments and announces it atomically. This is the hottest
   * write path, so the dispute, its first timeline entry and its event are one statement (atomic on its own);
   * only attachments need a transaction around it. Filings that arrive together share both statements (the
   * payment read and this one, StatementBatcher): a round trip costs Postgres and this process far more than
   * a row. The response is built from what was written.
   */
  async create(principal: Principal, body: CreateDisputeDto): Promise<DisputeView> {
    const filer = filerOf(principal, body);
    const attachments = (body.attachments ?? []).map(decodeAttachment);
    const now = new Date();
    // With an Idempotency-Key, this read claims it too (the route is ClaimKeyWithRead): a filing is two statements,
    // each shared with the filings that arrive with it.
    const payment = await this.disputes.customerPayment(body.paymentId, filer.customerId);
    if (!payment) throw new ProblemException(DisputeErrors.PaymentNotFound, `no payment ${body.paymentId} for this customer`);
    if (!isWithinDisputeWindow(payment.created_at, now, this.disputeWindowMs)) throw new ProblemException(DisputeErrors.PaymentTooOld);
    const amount = body.amount ?? payment.amount;
    if (amount > payment.amount) {
      throw new ProblemException(DisputeErrors.AmountExceedsPayment, `at most ${payment.amount}`, [
        { field: 'amount', code: 'amount_exceeds_payment', message: `amount must be at most ${payment.amount}` },
      ]);
    }
    const id = newRowId();
    const locale: Locale = body.locale ?? principal.locale ?? DEFAULT_LOCALE;
    const regime = regimeOf(payment.jurisdiction);
    const deadlines = deadlinesAtFiling(now, { regime, reason: body.reason }, this.clocks);
    const currency = payment.currency.trim();
    const row: DisputeRow = {
      id, payment_id: payment.id, customer_id: filer.customerId, merchant_id: payment.merchant_id, reason: body.reason,
      description: body.description, amount, currency, status: 'submitted', outcome: null, refunded_amount: 0,
      channel: filer.channel, locale, deadlines, regime, appealed: false, prevented: false, withdrawal: null, offers: [], feedback: null, created_at: now, updated_at: now,
      filed_by: filer.actor, identity_check: body.identityCheck ?? null, contact: body.contact ?? null,
    };
    const submitted: TimelineRow = { at: now, type: 'submitted', params: { amount, currency } };
    const event = newEvent('dispute.submitted', {
      disputeId: id,
      actor: filer.actor,
      data: {
        paymentId: payment.id, customerId: filer.customerId, merchantId: payment.merchant_id, reason: body.reason,
        description: body.description, amount, currency, channel: filer.channel, locale, filedBy: filer.actor,
        identityCheck: body.identityCheck, createdAt: now.toISOString(),
        payment: {
          paymentId: payment.id, customerId: payment.customer_id, merchantId: payment.merchant_id,
          merchantName: payment.merchant_name ?? undefined, amount: payment.amount, currency, status: payment.status,
          debited: payment.debited, failureReason: payment.failure_reason ?? undefined, createdAt: payment.created_at.toISOString(),
          description: payment.description ?? undefined, jurisdiction: payment.jurisdiction ?? undefined,
          ...(payment.device_id || payment.device_ip ? { device: { ...(payment.device_id ? { id: payment.device_id } : {}), ...(payment.device_ip ? { ip: payment.device_ip } : {}) } } : {}),
        },
      },
    }, now);
    const view = toDisputeView(row, [submitted], attachments.map(describeAttachment));
    // The response for the request's Idempotency-Key commits with the dispute: a crash cannot separate them.
    // Its id comes through `done`, so a request whose claim was taken over files nothing (the id is NULL).
    const response = idempotentResponse(view);
    const write = async (manager: EntityManager) => {
      await this.disputes.file(manager, { ...row, at: now }, submitted, this.outbox.insert([event]), response?.statement ?? null);
      this.outbox.written(manager);
    };
    try {
      if (attachments.length === 0) {
        const together = await this.filings.submit({ dispute: { ...row, at: now }, entry: submitted, outbox: this.outbox.entry(event), response: response?.row ?? null });
        if (together === ALONE) await write(this.dataSource.manager);
      } else {
        await this.dataSource.transaction(async (manager) => {
          await write(manager);
          await storeAttachments(manager, 'intake', { disputeId: id, messageId: null }, attachments);
        });
      }
    } catch (error) {
      if (isUniqueViolation(error, 'disputes_one_open_per_payment')) throw new ProblemException(DisputeErrors.AlreadyOpen);
      throw response?.lost(error) ?? error;
    }
    response?.stored();
    return view;
  }

  /** Filings without attachments that arrive together, one statement a batch (`fileTogether`). */
  private readonly filings = new StatementBatcher<Filing, true>(async (filings) => {
    await this.disputes.fileTogether(this.dataSource, filings);
    this.outbox.written(this.dataSource.manager);
    return filings.map(() => true as const);
  });

  async list(principal: Principal, query: ListDisputesQuery): Promise<Page<DisputeView>> {
    const limit = query.limit ?? 20;
    const after = decodeCursor(query.cursor);
    const customerId = principal.roles.includes('agent') ? (query.customerId ?? null) : principal.sub;
    const rows = await this.disputes.list({ customerId, status: query.status ?? null, after: after ?? null, limit: limit + 1 });
    const ids = rows.slice(0, limit).map((row) => row.id);
    const [timelines, attachments] = await Promise.all([this.disputes.timelines(this.dataSource, ids), this.disputes.attachments(this.dataSource, ids)]);
    return toPage(rows, limit, (row) => ({ at: row.created_at, id: row.id }), (row) => toDisputeView(row, timelines.get(row.id) ?? [], attachments.get(row.id) ?? []));
  }

  /** One dispute the caller may see: its customer's own, or any for an agent. Others answer 404. */
  async get(principal: Principal, id: string, locale?: Locale, on: Queryable = this.dataSource): Promise<DisputeView> {
    const row = actableBy(principal, await this.disputes.find(on, id));
    const timelines = await this.disputes.timelines(on, [id]);
    const attachments = await this.disputes.attachments(on, [id]);
    return toDisputeView(row, timelines.get(id) ?? [], attachments.get(id) ?? [], locale);
  }
}

/** Who files: a customer for themselves (app), or an agent for an identified caller (phone). */
function filerOf(principal: Principal, body: CreateDisputeDto): { customerId: string; channel: 'app' | 'phone'; actor: Actor } {
  if (principal.roles.includes('agent')) {
    const missing = [
      ...(body.customerId ? [] : [{ field: 'customerId', code: 'is_not_empty', message: 'an agent names the caller' }]),
      ...(body.identityCheck?.passed ? [] : [{ field: 'identityCheck', code: 'identity_check_required', message: "an agent files only after checking the caller's identity" }]),
    ];
    if (missing.length) throw new ProblemException(CommonErrors.ValidationFailed, 'an agent files only for an identified caller', missing);
    return { customerId: body.customerId!, channel: 'phone', actor: { type: 'agent', id: principal.sub } };
  }
  if ((body.customerId && body.customerId !== principal.sub) || body.identityCheck) {
    throw new ProblemException(CommonErrors.ValidationFailed, 'customers file for themselves', [
      ...(body.customerId && body.customerId !== principal.sub ? [{ field: 'customerId', code: 'unknown_field', message: 'only agents file for another customer' }] : []),
      ...(body.identityCheck ? [{ field: 'identityCheck', code: 'unknown_field', message: 'only agents record identity checks' }] : []),
    ]);
  }
  return { customerId: principal.sub, channel: 'app', actor: { type: 'customer', id: principal.sub } };
}
