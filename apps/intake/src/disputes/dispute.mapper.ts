import { Locale } from '@recourse/contracts';
import { AttachmentView } from '@recourse/platform';
import { DisputeView, TimelineEntryView } from './dto/dispute.view';
import { DisputeRow, TimelineRow } from './disputes.repository';
import { nextStepOf } from './next-step.rules';
import { renderTimelineMessage } from './timeline.mapper';

/** The timeline's messages are in `locale`, by default the dispute's own. */
export function toDisputeView(row: DisputeRow, timeline: TimelineRow[], attachments: AttachmentView[], locale: Locale = row.locale, now = new Date()): DisputeView {
  return {
    id: row.id,
    paymentId: row.payment_id,
    customerId: row.customer_id,
    merchantId: row.merchant_id,
    reason: row.reason,
    description: row.description,
    amount: row.amount,
    currency: row.currency.trim(),
    status: row.status,
    outcome: row.outcome,
    refundedAmount: row.refunded_amount,
    prevented: row.prevented,
    channel: row.channel,
    locale: row.locale,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    regime: row.regime,
    deadlines: row.deadlines,
    withdrawal: row.withdrawal ? { status: row.withdrawal.status, requestedAt: row.withdrawal.requestedAt, settledAt: row.withdrawal.settledAt } : null,
    offers: row.offers.map(({ id, kind, amount, message, status, expiresAt, createdAt }) => ({ id, kind, amount, message, status, expiresAt, createdAt })),
    nextStep: nextStepOf(row, now),
    feedback: row.feedback,
    timeline: timeline.map((entry): TimelineEntryView => ({
      at: entry.at.toISOString(),
      type: entry.type,
      message: renderTimelineMessage(entry.type, entry.params, locale),
    })),
    attachments,
  };
}
