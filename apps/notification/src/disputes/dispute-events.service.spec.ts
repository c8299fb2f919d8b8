import { Event } from '@recourse/contracts';
import { Inbox } from '@recourse/platform';
import { EntityManager } from 'typeorm';
import { DeliveriesService } from '../deliveries/deliveries.service';
import { NotificationsService } from '../inbox/notifications.service';
import { DisputeEventsService } from './dispute-events.service';

describe('which dispute events tell whom', () => {
  const manager = { query: jest.fn(async () => []) } as unknown as EntityManager;
  const inbox = { once: jest.fn(async (_event: unknown, effect: (m: EntityManager) => Promise<void>) => (await effect(manager), true)) };
  const notifications = { add: jest.fn() };
  const deliveries = { enqueue: jest.fn() };
  const service = new DisputeEventsService(inbox as unknown as Inbox, notifications as unknown as NotificationsService, deliveries as unknown as DeliveriesService);
  beforeEach(() => jest.clearAllMocks());

  const decided = (outcome: 'approve' | 'reject', locale?: string) => ({
    id: 'evt-1', type: 'case.decided', version: 1, occurredAt: '2026-11-24T08:30:00.000Z', disputeId: 'd-1', correlationId: 'evt-0', causationId: null,
    actor: { type: 'investigator', id: 'inv-1' },
    data: {
      outcome, refundAmount: 0, currency: 'CNY', reasonCode: 'no_error', explanation: 'No error.', liability: 'merchant', decidedBy: { type: 'investigator', id: 'inv-1' },
      customerId: 'c-1', merchantId: 'm-1', paymentId: 'p-1', paymentAmount: 900, disputedAmount: 900, locale,
    },
  }) as Event<'case.decided'>;

  it('tells the customer an approval is on its way; the merchant hears when the money is booked', async () => {
    await service.onDecided({ ...decided('approve', 'en'), data: { ...decided('approve', 'en').data, refundAmount: 500 } });
    expect(notifications.add).toHaveBeenCalledWith(manager, expect.objectContaining({
      customerId: 'c-1', locale: 'en', type: 'dispute.approved', template: 'dispute.approved',
      params: { money: { amount: { amount: 500, currency: 'CNY' }, disputedAmount: { amount: 900, currency: 'CNY' } } },
    }));
    expect(deliveries.enqueue).not.toHaveBeenCalled();
  });

  it('says nothing on a provisional credit', async () => {
    await service.onRefunded({ ...decided('reject'), type: 'refund.succeeded', data: { kind: 'provisional_credit' } } as unknown as Event<'refund.succeeded'>);
    expect(inbox.once).not.toHaveBeenCalled();
  });

  it('addresses a rejection from the event itself when dispute.submitted has not arrived yet', async () => {
    await service.onDecided(decided('reject', 'en'));
    expect(notifications.add).toHaveBeenCalledWith(manager, expect.objectContaining({ customerId: 'c-1', locale: 'en', type: 'dispute.rejected' }));
    expect(deliveries.enqueue).toHaveBeenCalledWith(manager, expect.objectContaining({
      merchantId: 'm-1', type: 'dispute.resolved', data: expect.objectContaining({ outcome: 'rejected', disputedAmount: 900, refundedAmount: 0 }),
    }));
  });

  it('refuses an event without a dispute id, so it is dead-lettered rather than dropped', async () => {
    await expect(service.onDecided({ ...decided('reject'), disputeId: null })).rejects.toThrow(/no disputeId/);
  });

  it('cannot tell the merchant of a withdrawal for a dispute it never saw: dead-lettered, not dropped', async () => {
    const withdrawn = { ...decided('reject'), type: 'dispute.withdrawn', data: {} } as unknown as Event<'dispute.withdrawn'>;
    await expect(service.onWithdrawn(withdrawn)).rejects.toThrow(/unknown here/);
    expect(deliveries.enqueue).not.toHaveBeenCalled();
  });

  it('passes an evidence request to the merchant it names', async () => {
    const requested = { ...decided('reject'), type: 'case.merchant_evidence_requested', data: { merchantId: 'm-9', message: 'Receipt?', dueBy: '2026-12-01T00:00:00.000Z', customerId: 'c-1', locale: 'zh-CN' } };
    await service.onEvidenceRequested(requested as unknown as Event<'case.merchant_evidence_requested'>);
    expect(notifications.add).toHaveBeenCalledWith(manager, expect.objectContaining({ customerId: 'c-1', locale: 'zh-CN', type: 'dispute.merchant_contacted' }));
    expect(deliveries.enqueue).toHaveBeenCalledWith(manager, expect.objectContaining({
      merchantId: 'm-9', type: 'dispute.evidence_requested', data: { disputeId: 'd-1', paymentId: null, message: 'Receipt?', dueBy: '2026-12-01T00:00:00.000Z' },
    }));
  });
});
