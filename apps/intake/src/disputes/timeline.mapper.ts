import { Locale } from '@recourse/contracts';
import { formatMoney } from '@recourse/domain';

export interface TimelineParams {
  amount?: number;
  currency?: string;
  explanation?: string;
  message?: string;
  dueBy?: string;
  attachments?: number;
  /** A shared note's id: the entry is also the note's place in the conversation. */
  noteId?: string;
  /** An offer's kind (CONTRACT §10). */
  kind?: string;
}

type Template = (params: TimelineParams, money: string) => string;

/** What the customer reads in their dispute's timeline, in the dispute's locale. */
const TEMPLATES: Record<string, Record<Locale, Template>> = {
  submitted: {
    en: (_, money) => `We received your dispute about ${money}.`,
    'zh-CN': (_, money) => `我们已收到您关于 ${money} 的申诉。`,
  },
  under_review: {
    en: () => 'An investigator is reviewing your dispute.',
    'zh-CN': () => '调查员正在审核您的申诉。',
  },
  awaiting_merchant: {
    en: (params) => `We asked the merchant for evidence${params.dueBy ? `; they have until ${params.dueBy.slice(0, 10)} to answer` : ''}.`,
    'zh-CN': (params) => `我们已要求商户提供证据${params.dueBy ? `，商户需在 ${params.dueBy.slice(0, 10)} 前答复` : ''}。`,
  },
  merchant_responded: {
    en: () => 'The merchant answered; an investigator is reviewing it.',
    'zh-CN': () => '商户已答复，调查员正在审核。',
  },
  awaiting_customer: {
    en: (params) => `We need more information from you: ${params.message ?? ''}`,
    'zh-CN': (params) => `我们需要您补充信息：${params.message ?? ''}`,
  },
  message_added: {
    en: (params) => `You added information${params.attachments ? ` with ${params.attachments} attachment(s)` : ''}.`,
    'zh-CN': (params) => `您补充了信息${params.attachments ? `（${params.attachments} 个附件）` : ''}。`,
  },
  approved: {
    en: (_, money) => `Your dispute was approved. A refund of ${money} is on its way.`,
    'zh-CN': (_, money) => `您的申诉已通过，${money} 退款正在处理中。`,
  },
  rejected: {
    en: (params) => `Your dispute was not approved${params.explanation ? `: ${params.explanation}` : '.'} You may appeal within the appeal window.`,
    'zh-CN': (params) => `您的申诉未通过${params.explanation ? `：${params.explanation}` : '。'}您可在申诉期限内提出复议。`,
  },
  refunded: {
    en: (_, money) => `${money} was refunded to your wallet.`,
    'zh-CN': (_, money) => `${money} 已退回您的钱包。`,
  },
  partially_refunded: {
    en: (_, money) => `${money} was refunded to your wallet (part of the disputed amount).`,
    'zh-CN': (_, money) => `${money} 已退回您的钱包（部分退款）。`,
  },
  provisional_credit_issued: {
    en: (_, money) => `While we investigate, ${money} was provisionally credited to your wallet.`,
    'zh-CN': (_, money) => `调查期间，${money} 已临时退回您的钱包。`,
  },
  provisional_credit_reversed: {
    en: (_, money) => `The provisional credit of ${money} was reversed because the dispute was not approved.`,
    'zh-CN': (_, money) => `由于申诉未通过，临时退回的 ${money} 已被撤回。`,
  },
  deadline_passed: {
    en: () => 'Your dispute has taken longer than we promised. It has been escalated.',
    'zh-CN': () => '您的申诉处理已超出承诺时限，已升级处理。',
  },
  note_shared: {
    en: (params) => `A note from your investigator: ${params.message ?? ''}`,
    'zh-CN': (params) => `调查员留言：${params.message ?? ''}`,
  },
  call_recorded: {
    en: (params) => `Record of your call with us: ${params.message ?? ''}`,
    'zh-CN': (params) => `您与客服通话的记录：${params.message ?? ''}`,
  },
  withdrawal_requested: {
    en: () => 'You asked to withdraw your dispute; we are confirming it.',
    'zh-CN': () => '您已申请撤回申诉，我们正在确认。',
  },
  withdrawn: {
    en: () => 'You withdrew your dispute.',
    'zh-CN': () => '您已撤回申诉。',
  },
  withdrawal_refused: {
    en: () => 'Your dispute had already been decided, so it could not be withdrawn.',
    'zh-CN': () => '您的申诉已有处理结果，无法撤回。',
  },
  offer_received: {
    en: (params, money) => `The merchant offers ${offerText(params.kind, money, 'en')}: ${params.message ?? ''} Accept or decline it in the app.`,
    'zh-CN': (params, money) => `商户提出${offerText(params.kind, money, 'zh-CN')}：${params.message ?? ''} 请在应用中接受或拒绝。`,
  },
  offer_accepted: {
    en: () => "You accepted the merchant's offer.",
    'zh-CN': () => '您已接受商户的方案。',
  },
  offer_declined: {
    en: () => "You declined the merchant's offer; your dispute continues.",
    'zh-CN': () => '您已拒绝商户的方案，申诉将继续处理。',
  },
  offer_expired: {
    en: () => "The merchant's offer expired without an answer; your dispute continues.",
    'zh-CN': () => '商户的方案已过期，申诉将继续处理。',
  },
  offer_answer_refused: {
    en: () => "The merchant's offer was no longer open, so your answer could not be applied.",
    'zh-CN': () => '商户的方案已失效，您的答复未能生效。',
  },
  resolved: {
    en: (params) => `Your dispute is resolved: you accepted the merchant's ${params.kind === 'replacement' ? 'replacement' : 'refund on return'}. It is closed.`,
    'zh-CN': (params) => `您的申诉已解决：您已接受商户的${params.kind === 'replacement' ? '换货' : '退货退款'}方案，申诉已结束。`,
  },
  appealed: {
    en: () => 'We received your appeal; the dispute is under review again.',
    'zh-CN': () => '我们已收到您的复议申请，申诉将重新审核。',
  },
};

/** What the merchant offers, in words. */
function offerText(kind: string | undefined, money: string, locale: Locale): string {
  const words: Record<string, Record<Locale, string>> = {
    full_refund: { en: `a full refund of ${money}`, 'zh-CN': `全额退款 ${money}` },
    partial_refund: { en: `a partial refund of ${money}`, 'zh-CN': `部分退款 ${money}` },
    replacement: { en: 'a replacement', 'zh-CN': '换货' },
    return_for_refund: { en: 'a refund when you return the goods', 'zh-CN': '退货退款' },
  };
  return words[kind ?? '']?.[locale] ?? (locale === 'en' ? 'a resolution' : '解决方案');
}

export function renderTimelineMessage(type: string, params: TimelineParams, locale: Locale): string {
  const template = TEMPLATES[type]?.[locale];
  if (!template) return type;
  const money = params.amount !== undefined && params.currency ? formatMoney(params.amount, params.currency, locale) : '';
  return template(params, money);
}
