// The payment the caller means, and for a failed one the explanation to read to them in their language.
import { useEffect, useRef } from 'react';
import { StatusBadge } from '../components/bits';
import { dateTime, money } from '../lib/format';
import { LANGUAGE_NAMES, Locale, useI18n } from '../lib/i18n';
import { Payment } from './desk-api';

const CALLER_LANGUAGES: Locale[] = ['zh-CN', 'en'];

interface Props {
  payment: Payment;
  /** The language `payment` was read in; while the caller's is on its way, the previous one stays shown. */
  shownLocale: Locale;
  callerLocale: Locale;
  onCallerLocale: (locale: Locale) => void;
}

export function PaymentDetails({ payment, shownLocale, callerLocale, onCallerLocale }: Props) {
  const { t, locale } = useI18n();
  const heading = useRef<HTMLHeadingElement>(null);
  // Chosen: the agent reads it from the top (the component is keyed by payment).
  useEffect(() => heading.current?.focus(), []);
  const amount = money(payment.amount, payment.currency, locale);
  return (
    <section aria-labelledby="payment-h" aria-busy={shownLocale !== callerLocale || undefined}>
      <h2 id="payment-h" ref={heading} tabIndex={-1}>{t('paymentTitle', { amount, merchant: payment.merchantName ?? payment.merchantId })}</h2>
      <dl className="facts">
        <dt>{t('searchTransaction')}</dt>
        <dd><code>{payment.id}</code></dd>
        <dt>{t('transactionTime')}</dt>
        <dd><time dateTime={payment.createdAt}>{dateTime(payment.createdAt, locale)}</time></dd>
        <dt>{t('counterparty')}</dt>
        <dd>{payment.merchantName ?? '–'} <span className="muted">({payment.merchantId})</span></dd>
        <dt>{t('status')}</dt>
        <dd>
          <StatusBadge status={payment.status} /> {payment.status === 'failed' && payment.debited && <span className="flag">{t('debited')}</span>}
          {payment.failureReason && <span className="muted"> <code>{payment.failureReason}</code></span>}
        </dd>
        {payment.description && (
          <>
            <dt>{t('description')}</dt>
            <dd>{payment.description}</dd>
          </>
        )}
      </dl>
      <fieldset className="language-switch">
        <legend>{t('callerLanguage')}</legend>
        <p className="hint">{t('callerLanguageHint')}</p>
        {CALLER_LANGUAGES.map((language) => (
          <label key={language} className="inline" htmlFor={`caller-language-${language}`}>
            <input id={`caller-language-${language}`} type="radio" name="caller-language" value={language} checked={callerLocale === language} onChange={() => onCallerLocale(language)} />
            <span lang={language}>{LANGUAGE_NAMES[language]}</span>
          </label>
        ))}
      </fieldset>
      {payment.explanation && (
        <div className="read-aloud">
          <h3>{t('readAloud')}</h3>
          {/* Announced when it changes language, so the agent hears the switch land. */}
          <p lang={shownLocale} aria-live="polite">{payment.explanation}</p>
        </div>
      )}
      {payment.disputeId && <p className="error">{t('alreadyDisputed', { id: payment.disputeId })}</p>}
    </section>
  );
}
