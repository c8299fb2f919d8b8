import { EventEnvelope } from '@recourse/contracts';
import { DisputeCopy } from './disputes.repository';
import { disputeNews, NewsEvent } from './dispute-news.reducer';

describe('which dispute events tell whom', () => {
  const event = (type: string, data: unknown, changes: Partial<EventEnvelope> = {}) => ({
    id: 'evt-1', type, version: 1, occurredAt: '2026-11-24T08:30:00.000Z', disputeId: 'd-1', correlationId: 'evt-0', causationId: null,
    actor: { type: 'system', id: 'x' }, data, ...changes,
  }) as unknown as NewsEvent;
  const none = new Map<string, DisputeCopy>();
  const knowing = (copy: Partial<DisputeCopy>) => new Map([['d-1', { id: 'd-1', ...copy } as DisputeCopy]]);

  const decided = (outcome: 'approve' | 'reject', locale?: string, refundAmount = 0) => event('case.decided', {
    outcome, refundAmount, currency: 'CNY', reasonCode: 'no_error', explanation: 'No error.', liability: 'merchant', decidedBy: { type: 'investigator', id: 'inv-1' },
    customerId: 'c-1', merchantId: 'm-1', paymentId: 'p-1', paymentAmount: 900, disputedAmount: 900, locale,
  });
  const credit = { refundId: 'r-1', amount: 129_950, currency: 'CNY', customerId: 'c-1', merchantId: 'm-1', paymentId: 'p-1', locale: 'en' };
  const submitted = (id: string, disputeId: string) => event('dispute.submitted', {
    paymentId: `p-${disputeId}`, customerId: `c-${disputeId}`, merchantId: 'm-1', reason: 'unrecognized_charge', amount: 700, currency: 'CNY', locale: 'en',
    createdAt: '2026-11-24T08:00:00.000Z',
  }, { id, disputeId });

  it('tells the customer an approval is on its way; the merchant hears when the money is booked', () => {
    const news = disputeNews([decided('approve', 'en', 500)], none);
    expect(news.notifications).toEqual([expect.objectContaining({
      customerId: 'c-1', locale: 'en', type: 'dispute.approved', template: 'dispute.approved',
      params: { money: { amount: { amount: 500, currency: 'CNY' }, disputedAmount: { amount: 900, currency: 'CNY' } } },
    })]);
    expect(news.webhooks).toEqual([]);
  });

  it('tells the customer of an offer in their language, the merchant of an applied answer, both of a resolution by the merchant', () => {
    const offer = { offerId: 'o-1', merchantId: 'm-1', kind: 'replacement', amount: null, currency: 'CNY', customerId: 'c-1', locale: 'zh-CN' };
    const made = disputeNews([event('case.offer_made', { ...offer, message: 'A new one', expiresAt: '2026-11-27T08:30:00.000Z', createdAt: '2026-11-24T08:30:00.000Z' })], none);
    expect(made.notifications).toEqual([expect.objectContaining({ customerId: 'c-1', locale: 'zh-CN', type: 'offer_received', template: 'offer_received.replacement' })]);
    expect(made.webhooks).toEqual([]);
    const answered = (answer: string) => disputeNews([event('case.offer_answered', { ...offer, requestId: 'evt-0', answer, paymentId: 'p-1' })], none);
    expect(answered('declined').webhooks).toEqual([expect.objectContaining({
      merchantId: 'm-1', type: 'dispute.offer_declined', data: { disputeId: 'd-1', paymentId: 'p-1', offerId: 'o-1', kind: 'replacement', amount: null, currency: 'CNY', answeredAt: '2026-11-24T08:30:00.000Z' },
    })]);
    expect(answered('accepted').webhooks[0].type).toBe('dispute.offer_accepted');
    const resolved = disputeNews([event('case.resolved', { ...offer, outcome: 'resolved_by_merchant', paymentId: 'p-1', disputedAmount: 900 })], none);
    expect(resolved.notifications).toEqual([expect.objectContaining({ type: 'dispute.resolved', template: 'dispute.resolved_by_merchant', locale: 'zh-CN' })]);
    expect(resolved.webhooks).toEqual([expect.objectContaining({ type: 'dispute.resolved', data: expect.objectContaining({ outcome: 'resolved_by_merchant', refundedAmount: 0, disputedAmount: 900 }) })]);
  });

  it('tells the merchant (and only the merchant) the ruling on its appeal, with what the platform pays it back', () => {
    const ruled = (ruling: 'uphold' | 'reverse') => event('case.ruled', {
      ruling, explanation: 'The evidence shows delivery.', ruledBy: { type: 'supervisor', id: 'sup-1' }, merchantId: 'm-1', customerId: 'c-1', paymentId: 'p-1',
      currency: 'CNY', refundAmount: 900, merchantAmount: 600, disputedAmount: 900, locale: 'en',
    });
    const reversed = disputeNews([ruled('reverse')], knowing({ merchant_id: 'm-1', payment_id: 'p-1' }));
    expect(reversed.notifications).toEqual([]);
    expect(reversed.webhooks).toEqual([expect.objectContaining({
      merchantId: 'm-1', type: 'dispute.appeal_ruled',
      data: { disputeId: 'd-1', paymentId: 'p-1', ruling: 'reverse', explanation: 'The evidence shows delivery.', refundedAmount: 900, merchantAmount: 600, reversedAmount: 600, currency: 'CNY', ruledAt: '2026-11-24T08:30:00.000Z' },
    })]);
    expect(disputeNews([ruled('uphold')], none).webhooks[0]).toMatchObject({ merchantId: 'm-1', data: { ruling: 'uphold', reversedAmount: 0 } });
  });

  it('tells the merchant a refund its own resolution rule decided was prevented, and says nothing of it otherwise', () => {
    const booked = (prevented?: boolean) => event('refund.succeeded', {
      ...credit, kind: 'refund', liability: 'merchant', refundedTotal: 700, disputedAmount: 700, outcome: 'refunded', ...(prevented ? { prevented } : {}),
    });
    const [prevented] = disputeNews([booked(true)], knowing({ merchant_id: 'm-1', payment_id: 'p-1' })).webhooks;
    expect(prevented).toMatchObject({ merchantId: 'm-1', type: 'dispute.resolved', data: { outcome: 'customer_refunded', prevented: true } });
    const [plain] = disputeNews([booked()], knowing({ merchant_id: 'm-1', payment_id: 'p-1' })).webhooks;
    expect(plain.data).not.toHaveProperty('prevented');
  });

  it('says nothing on a provisional credit booked or failed, nor on a deadline that is not the customer\'s, even without a dispute id', () => {
    const news = disputeNews([
      event('refund.succeeded', { kind: 'provisional_credit' }, { disputeId: null }),
      event('refund.failed', { ...credit, kind: 'provisional_credit', code: 'ledger_unavailable', detail: '' }),
      event('case.sla_breached', { customerId: 'c-1', locale: 'en', deadline: 'merchant_response', dueAt: '2026-11-24T08:30:00.000Z' }),
    ], none);
    expect(news).toEqual({ copies: [], notifications: [], webhooks: [] });
  });

  it('addresses a rejection from the event itself when dispute.submitted has not arrived yet', () => {
    const news = disputeNews([decided('reject', 'en')], none);
    expect(news.notifications).toEqual([expect.objectContaining({ customerId: 'c-1', locale: 'en', type: 'dispute.rejected' })]);
    expect(news.webhooks).toEqual([expect.objectContaining({
      merchantId: 'm-1', type: 'dispute.resolved', data: expect.objectContaining({ outcome: 'rejected', disputedAmount: 900, refundedAmount: 0 }),
    })]);
  });

  it('refuses an event without a dispute id, so it is dead-lettered rather than dropped', () => {
    expect(() => disputeNews([{ ...decided('reject'), disputeId: null }], none)).toThrow(/no disputeId/);
  });

  it('cannot tell the merchant of a withdrawal for a dispute it never saw: dead-lettered, not dropped', () => {
    expect(() => disputeNews([event('dispute.withdrawn', {})], none)).toThrow(/unknown here/);
  });

  it('passes an evidence request to the merchant it names', () => {
    const requested = event('case.merchant_evidence_requested', { merchantId: 'm-9', message: 'Receipt?', dueBy: '2026-12-01T00:00:00.000Z', customerId: 'c-1', locale: 'zh-CN' });
    const news = disputeNews([requested], none);
    expect(news.notifications).toEqual([expect.objectContaining({ customerId: 'c-1', locale: 'zh-CN', type: 'dispute.merchant_contacted' })]);
    expect(news.webhooks).toEqual([expect.objectContaining({
      merchantId: 'm-9', type: 'dispute.evidence_requested', data: { disputeId: 'd-1', paymentId: null, message: 'Receipt?', dueBy: '2026-12-01T00:00:00.000Z' },
    })]);
  });

  it("passes on the investigator's question in the dispute's locale", () => {
    const news = disputeNews([event('case.customer_info_requested', { customerId: 'c-1', locale: 'en', message: 'Which card?' })], knowing({ customer_id: 'c-copy', locale: 'zh-CN' }));
    expect(news.notifications).toEqual([expect.objectContaining({
      customerId: 'c-copy', locale: 'zh-CN', type: 'dispute.info_requested', template: 'dispute.info_requested', params: { text: { message: 'Which card?' } },
    })]);
  });

  it("passes on a merchant's message written for everyone, to the customer only (CONTRACT §10)", () => {
    const shared = event('case.merchant_message_shared', {
      messageId: 'mm-1', merchantId: 'm-9', body: 'We can send a new one.', attachments: [], createdAt: '2026-12-01T00:00:00.000Z', customerId: 'c-1', locale: 'en',
    });
    const news = disputeNews([shared], knowing({ customer_id: 'c-copy', locale: 'zh-CN' }));
    expect(news.notifications).toEqual([expect.objectContaining({
      customerId: 'c-copy', locale: 'zh-CN', type: 'dispute.merchant_message', template: 'dispute.merchant_message', params: { text: { message: 'We can send a new one.' } },
    })]);
    expect(news.webhooks).toEqual([]);
  });

  it('tells of a provisional credit issued and reversed, with the amount', () => {
    const news = disputeNews([event('provisional_credit.issued', credit), event('provisional_credit.reversed', credit, { id: 'evt-2' })], none);
    expect(news.notifications.map((entry) => [entry.type, entry.locale, entry.params.money?.amount.amount])).toEqual([
      ['provisional_credit.issued', 'en', 129_950], ['provisional_credit.reversed', 'en', 129_950],
    ]);
  });

  it('acknowledges an appeal, addressed from the copy of the dispute', () => {
    const news = disputeNews([event('dispute.appealed', { reason: 'I have the receipt' })], knowing({ customer_id: 'c-copy', locale: 'en' }));
    expect(news.notifications).toEqual([expect.objectContaining({ customerId: 'c-copy', locale: 'en', type: 'dispute.appeal_received' })]);
  });

  it('falls back on zh-CN when neither the copy nor the event gives a locale', () => {
    const news = disputeNews([event('dispute.appealed', { reason: 'x', customerId: 'c-1' })], none);
    expect(news.notifications).toEqual([expect.objectContaining({ customerId: 'c-1', locale: 'zh-CN' })]);
  });

  it('dead-letters what it cannot address rather than dropping it', () => {
    expect(() => disputeNews([event('dispute.appealed', { reason: 'x' })], none)).toThrow(/names no customer/);
  });

  it('tells of a missed resolution deadline', () => {
    const news = disputeNews([event('case.sla_breached', { customerId: 'c-1', locale: 'en', deadline: 'resolution', dueAt: '2026-11-24T08:30:00.000Z' })], none);
    expect(news.notifications).toEqual([expect.objectContaining({ type: 'dispute.overdue', locale: 'en' })]);
  });

  it('apologises for a refund that failed', () => {
    const failed = { refundId: 'r-1', customerId: 'c-1', merchantId: 'm-1', locale: 'en', code: 'ledger_unavailable', detail: '', amount: 500, currency: 'CNY', kind: 'refund' };
    const news = disputeNews([event('refund.failed', failed)], none);
    expect(news.notifications).toEqual([expect.objectContaining({ type: 'refund.delayed', template: 'refund.delayed' })]);
  });

  it('addresses the events after a dispute.submitted of the same run from its copy, and stores each dispute once', () => {
    const news = disputeNews([
      submitted('s-2', 'd-2'),
      submitted('s-1', 'd-1'),
      event('dispute.appealed', { reason: 'x' }, { id: 'a-1' }),
      submitted('s-1b', 'd-1'),
      event('dispute.withdrawn', {}, { id: 'w-1' }),
    ], none);
    expect(news.copies.map((copy) => copy.id)).toEqual(['d-2', 'd-1']);
    expect(news.notifications.map((entry) => [entry.cause.id, entry.type, entry.customerId])).toEqual([
      ['s-2', 'dispute.submitted', 'c-d-2'], ['s-1', 'dispute.submitted', 'c-d-1'], ['a-1', 'dispute.appeal_received', 'c-d-1'],
      ['s-1b', 'dispute.submitted', 'c-d-1'], ['w-1', 'dispute.withdrawn', 'c-d-1'],
    ]);
    expect(news.webhooks.map((webhook) => [webhook.cause.id, webhook.type])).toEqual([
      ['s-2', 'dispute.created'], ['s-1', 'dispute.created'], ['s-1b', 'dispute.created'], ['w-1', 'dispute.withdrawn'],
    ]);
    expect(news.webhooks[3].data).toEqual({ disputeId: 'd-1', paymentId: 'p-d-1', withdrawnAt: '2026-11-24T08:30:00.000Z' });
  });
});
