import { Injectable, Logger } from '@nestjs/common';
import { customerAccount, merchantAccount, PLATFORM_ACCOUNT } from '@recourse/domain';
import { EventBatchOf, Inbox, Outbox, Principal, ProblemException, rows, together } from '@recourse/platform';
import { EntityManager } from 'typeorm';
import { FrozenAccountsRepository } from '../ledger/frozen-accounts.repository';
import { LedgerService } from '../ledger/ledger.service';
import { LiabilityReversalService } from './liability-reversal.service';
import { PaymentLockRepository } from './payment-lock.repository';
import { BookingEvent, BookingNeeds, BookingResult, BookingSnapshot, needsOf, RefundLedger } from './refund.rules';
import { RefundErrors } from './refunds.errors';
import { RefundsRepository } from './refunds.repository';

/**
 * Books refunds and provisional credits: the money, its ledger transactions and the events that announce
 * it, in one transaction. A booking either succeeds whole (row, balanced postings, `refund.succeeded` or
 * `provisional_credit.issued`) or leaves a failed row and `refund.failed` with nothing posted. The rules
 * are RefundLedger's; this reads what a run needs under its locks and writes what the rules decided with a
 * fixed handful of statements, however many events the run holds.
 */
@Injectable()
export class RefundBookingService {
  private readonly logger = new Logger(RefundBookingService.name);

  constructor(
    private readonly inbox: Inbox,
    private readonly outbox: Outbox,
    private readonly ledger: LedgerService,
    private readonly frozen: FrozenAccountsRepository,
    private readonly payments: PaymentLockRepository,
    private readonly refunds: RefundsRepository,
    private readonly reversals: LiabilityReversalService,
  ) {}

  /**
   * A run of decisions and due provisional credits of one partition, in order, already claimed in the inbox
   * (each applied once: a redelivered event never gets here). The same rows and events as applying them
   * one at a time: each event sees what the ones before it booked.
   */
  async book({ events, manager }: EventBatchOf<BookingEvent['type']>): Promise<void> {
    const snapshot = await this.load(manager, needsOf(events as BookingEvent[]));
    await this.write(manager, RefundLedger.run(events as BookingEvent[], snapshot));
  }

  /** One event on its own, once (a redelivery stops at the inbox), in a transaction of its own: a run of one. */
  applyOne(event: BookingEvent): Promise<boolean> {
    return this.inbox.once(event, (manager) => this.book({ events: [event], manager }));
  }

  /** Books a failed refund (or provisional credit) again, if it now can be; it is unchanged otherwise. In the caller's transaction. */
  async retry(manager: EntityManager, principal: Principal, id: string): Promise<void> {
    const found = await this.refunds.parties(manager, id);
    if (!found) throw new ProblemException(RefundErrors.NotFound);
    // The same locks in the same order as a booking from Kafka (payment, then its disputes' rows), so the two cannot deadlock.
    const snapshot = await this.load(manager, {
      create: [], paymentIds: [found.payment_id], disputeIds: [found.dispute_id],
      accounts: [customerAccount(found.customer_id), merchantAccount(found.merchant_id), PLATFORM_ACCOUNT],
    });
    const ledger = new RefundLedger(snapshot);
    const refused = ledger.retry(id, { type: 'admin', id: principal.sub });
    if (refused !== null) throw new ProblemException(RefundErrors.InvalidTransition, refused);
    await this.write(manager, ledger.finish());
  }

  /** What the rules read, under the locks every booking takes in one order: payments, disputes' rows, frozen accounts. */
  private async load(manager: EntityManager, needs: BookingNeeds): Promise<BookingSnapshot> {
    const payments = await this.payments.lock(manager, needs.paymentIds, needs.create);
    const rows = await this.refunds.lockRowsOf(manager, needs.disputeIds);
    const frozen = new Set(await this.frozen.frozenAmong(manager, needs.accounts));
    return { payments, rows, frozen };
  }

  /**
   * One statement writes the run: the changed rows, the ledger's transactions and postings, every outgoing
   * event, and the new rows last (its RETURNING counts them). The ledger names rows this statement inserts:
   * foreign keys are checked at its end. The writes touch different rows, as one snapshot for all requires.
   */
  private async write(manager: EntityManager, result: BookingResult): Promise<void> {
    const inserting = this.refunds.insert(result.inserts);
    const writes = together([
      this.refunds.update(result.updates),
      ...this.ledger.recording(result.transactions).writes,
      result.events.length > 0 ? this.outbox.insert(result.events) : null,
      inserting,
    ]);
    if (writes) {
      const written = await rows(manager, writes);
      if (inserting) this.refunds.checkInserted(result.inserts, written);
    }
    if (result.events.length > 0) this.outbox.written(manager);
    for (const note of result.notes) this.logger[note.level](note.context, note.message);
    // A ruling that reversed the merchant's liability before its debit existed (the refund had failed) is booked with it.
    const debited = [...result.inserts, ...result.updates].filter((row) => row.kind === 'refund' && row.status === 'succeeded').map((row) => row.dispute_id);
    if (debited.length > 0) await this.reversals.settlePending(manager, debited);
  }
}
