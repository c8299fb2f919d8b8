import { EventEnvelope } from '@recourse/contracts';
import { Inbox } from '@recourse/platform';
import { EntityManager } from 'typeorm';
import { NotificationsService } from '../inbox/notifications.service';
import { CustomerNewsService } from './customer-news.service';

describe('news only the customer hears', () => {
  let copy: Record<string, string> | undefined;
  const manager = { query: jest.fn(async () => (copy ? [copy] : [])) } as unknown as EntityManager;
  const inbox = { once: jest.fn(async (_event: unknown, effect: (m: EntityManager) => Promise<void>) => (await effect(manager), true)) };
  const notifications = { add: jest.fn() };
  const service = new CustomerNewsService(inbox as unknown as Inbox, notifications as unknown as NotificationsService);
  beforeEach(() => {
    jest.clearAllMocks();
    copy = undefined;
  });

  const event = <T>(type: string, data: T) => ({
    id: 'evt-1', type, version: 1, occurredAt: '2026-11-24T08:30:00.000Z', disputeId: 'd-1', correlationId: 'evt-0', causationId: null,
    actor: { type: 'system', id: 'x' }, data,
  }) as EventEnvelope<never, never>;
  const credit = { refundId: 'r-1', amount: 129_950, currency: 'CNY', customerId: 'c-1', merchantId: 'm-1', paymentId: 'p-1', locale: 'en' };

  it("passes on the investigator's question in the dispute's locale", async () => {
    copy = { id: 'd-1', customer_id: 'c-copy', locale: 'zh-CN' };
    await service.onInfoRequested(event('case.customer_info_requested', { customerId: 'c-1', locale: 'en', message: 'Which card?' }));
    expect(notifications.add).toHaveBeenCalledWith(manager, expect.objectContaining({
      customerId: 'c-copy', locale: 'zh-CN', type: 'dispute.info_requested', template: 'dispute.info_requested', params: { text: { message: 'Which card?' } },
    }));
  });

  it('tells of a provisional credit issued and reversed, with the amount', async () => {
    await service.onProvisionalCredit(event('provisional_credit.issued', credit));
    await service.onProvisionalCredit(event('provisional_credit.reversed', credit));
    expect(notifications.add.mock.calls.map(([, entry]) => [entry.type, entry.locale, entry.params.money.amount.amount])).toEqual([
      ['provisional_credit.issued', 'en', 129_950], ['provisional_credit.reversed', 'en', 129_950],
    ]);
  });

  it('acknowledges an appeal, addressed from the copy of the dispute', async () => {
    copy = { id: 'd-1', customer_id: 'c-copy', locale: 'en' };
    await service.onAppealed(event('dispute.appealed', { reason: 'I have the receipt' }));
    expect(notifications.add).toHaveBeenCalledWith(manager, expect.objectContaining({ customerId: 'c-copy', locale: 'en', type: 'dispute.appeal_received' }));
  });

  it('falls back on zh-CN when neither the copy nor the event gives a locale', async () => {
    await service.onAppealed(event('dispute.appealed', { reason: 'x', customerId: 'c-1' }));
    expect(notifications.add).toHaveBeenCalledWith(manager, expect.objectContaining({ customerId: 'c-1', locale: 'zh-CN' }));
  });

  it('dead-letters what it cannot address rather than dropping it', async () => {
    await expect(service.onAppealed(event('dispute.appealed', { reason: 'x' }))).rejects.toThrow(/names no customer/);
  });

  it('tells of a missed resolution deadline only', async () => {
    await service.onSlaBreached(event('case.sla_breached', { customerId: 'c-1', locale: 'en', deadline: 'merchant_response', dueAt: '2026-11-24T08:30:00.000Z' }));
    expect(inbox.once).not.toHaveBeenCalled();
    await service.onSlaBreached(event('case.sla_breached', { customerId: 'c-1', locale: 'en', deadline: 'resolution', dueAt: '2026-11-24T08:30:00.000Z' }));
    expect(notifications.add).toHaveBeenCalledWith(manager, expect.objectContaining({ type: 'dispute.overdue', locale: 'en' }));
  });

  it('apologises for a refund that failed, not for a provisional credit the customer never heard of', async () => {
    const failed = { refundId: 'r-1', customerId: 'c-1', merchantId: 'm-1', locale: 'en', code: 'ledger_unavailable', detail: '', amount: 500, currency: 'CNY' };
    await service.onRefundFailed(event('refund.failed', { ...failed, kind: 'provisional_credit' }));
    expect(inbox.once).not.toHaveBeenCalled();
    await service.onRefundFailed(event('refund.failed', { ...failed, kind: 'refund' }));
    expect(notifications.add).toHaveBeenCalledWith(manager, expect.objectContaining({ type: 'refund.delayed', template: 'refund.delayed' }));
  });
});
