import { DEFAULT_LOCALE, FailureReason, Locale } from '@recourse/contracts';
import { PaymentView } from './dto/payment.view';
import { PaymentWithDispute } from './payments.repository';

/** Why a payment failed and what to do, as the wallet's help pages put it (DOMAIN.md). */
const EXPLANATIONS: Record<FailureReason, Record<Locale, string>> = {
  insufficient_balance: {
    en: 'Your balance was too low for this payment. Top up your wallet or choose another payment method, then try again.',
    'zh-CN': '余额不足，付款未成功。请充值或更换付款方式后重试。',
  },
  network_error: {
    en: 'The network was interrupted while paying. Check your connection and try again; if money left your account, file a dispute.',
    'zh-CN': '付款时网络中断。请检查网络后重试；如已扣款，请提交申诉。',
  },
  account_locked: {
    en: 'Your account is locked for security. Contact customer service to verify your identity and unlock it.',
    'zh-CN': '您的账户因安全原因被锁定。请联系客服核实身份并解锁。',
  },
  risk_declined: {
    en: 'The payment was declined by our risk checks to protect your account. Try a smaller amount later or contact customer service.',
    'zh-CN': '为保护您的账户安全，该笔付款被风控拦截。请稍后尝试较小金额或联系客服。',
  },
  other: {
    en: 'The payment could not be completed. Try again later or contact customer service.',
    'zh-CN': '付款未能完成。请稍后重试或联系客服。',
  },
};

function explainFailure(reason: FailureReason, locale: Locale): string {
  return EXPLANATIONS[reason][locale];
}

export function toPaymentView(row: PaymentWithDispute, locale: Locale = DEFAULT_LOCALE): PaymentView {
  return {
    id: row.id,
    customerId: row.customer_id,
    merchantId: row.merchant_id,
    merchantName: row.merchant_name,
    amount: row.amount,
    currency: row.currency,
    status: row.status,
    debited: row.debited,
    createdAt: row.created_at.toISOString(),
    description: row.description,
    disputeId: row.dispute_id,
    ...(row.status === 'failed'
      ? { failureReason: row.failure_reason ?? 'other', explanation: explainFailure(row.failure_reason ?? 'other', locale) }
      : {}),
  };
}
