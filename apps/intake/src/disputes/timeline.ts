import { Locale } from '@recourse/contracts';
import { formatMoney } from '@recourse/domain';

export type TimelineType = 'submitted' | 'under_review' | 'approved' | 'rejected' | 'refunded' | 'partially_refunded';

export interface TimelineParams {
  amount?: number;
  currency?: string;
  explanation?: string;
}

type Template = (params: TimelineParams, money: string) => string;

/** What the customer reads in their dispute's timeline, in its locale. */
const TEMPLATES: Record<TimelineType, Record<Locale, Template>> = {
  submitted: {
    en: (_, money) => `We received your dispute about ${money}.`,
    'zh-CN': (_, money) => `我们已收到您关于 ${money} 的申诉。`,
  },
  under_review: {
    en: () => 'An investigator is reviewing your dispute.',
    'zh-CN': () => '调查员正在审核您的申诉。',
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
};

export function renderTimelineMessage(type: string, params: TimelineParams, locale: Locale): string {
  const template = TEMPLATES[type as TimelineType]?.[locale];
  if (!template) return type;
  const money = params.amount !== undefined && params.currency ? formatMoney(params.amount, params.currency, locale) : '';
  return template(params, money);
}
