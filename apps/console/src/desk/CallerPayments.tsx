// The caller's payments and the search that finds the one they describe: transaction number, amount,
// counterparty, dates. The service filters; the page shows what it answers, newest first.
import { RecourseClient } from '@recourse/client';
import { FormEvent, useEffect, useRef, useState } from 'react';
import { ErrorMessage, StatusBadge } from '../components/bits';
import { dateTime, money, shortId, toMinorUnits } from '../lib/format';
import { useLoad } from '../lib/hooks';
import { useI18n } from '../lib/i18n';
import { Payment, PaymentFilters, searchPayments } from './desk-api';

const EMPTY = { paymentId: '', amount: '', counterparty: '', from: '', to: '' };

/** A day picked in the agent's browser, as the instant it starts or (`end`) ends there. */
const dayEdge = (day: string, end: boolean) => new Date(`${day}T${end ? '23:59:59.999' : '00:00:00'}`).toISOString();

interface Props {
  client: RecourseClient;
  customerId: string;
  chosenId: string | null;
  /** Choosing is over once the call has filed (the next dispute is a new call). */
  locked: boolean;
  onChoose: (payment: Payment) => void;
}

export function CallerPayments({ client, customerId, chosenId, locked, onChoose }: Props) {
  const { t, locale } = useI18n();
  const [draft, setDraft] = useState(EMPTY);
  const [filters, setFilters] = useState<PaymentFilters>({});
  const [amountInvalid, setAmountInvalid] = useState(false);
  const payments = useLoad(() => searchPayments(client, customerId, filters), [client, customerId, filters]);
  const currency = useRef('CNY');
  if (payments.data?.data[0]) currency.current = payments.data.data[0].currency;
  const first = useRef<HTMLInputElement>(null);
  const list = useRef<HTMLUListElement>(null);
  const searched = useRef(false);

  // The caller was just found: the agent asks which payment, and types what they hear.
  useEffect(() => first.current?.focus(), []);
  // After a search, the first match is one Enter away.
  useEffect(() => {
    if (!payments.data || !searched.current) return;
    searched.current = false;
    list.current?.querySelector<HTMLButtonElement>('button:not(:disabled)')?.focus();
  }, [payments.data]);

  const set = (name: keyof typeof EMPTY) => (event: { target: { value: string } }) => setDraft((previous) => ({ ...previous, [name]: event.target.value }));
  const search = (event: FormEvent) => {
    event.preventDefault();
    const amount = draft.amount.trim() ? toMinorUnits(draft.amount, currency.current) : undefined;
    setAmountInvalid(amount === null);
    if (amount === null) return;
    searched.current = true;
    setFilters({
      paymentId: draft.paymentId.trim() || undefined,
      amount,
      counterparty: draft.counterparty.trim() || undefined,
      from: draft.from ? dayEdge(draft.from, false) : undefined,
      to: draft.to ? dayEdge(draft.to, true) : undefined,
    });
  };
  const showAll = () => {
    setDraft(EMPTY);
    setAmountInvalid(false);
    setFilters({});
  };
  const shown = payments.data?.data ?? [];

  return (
    <section aria-labelledby="payments-h">
      <h2 id="payments-h">{t('paymentsTitle')} <span className="muted">{customerId}</span></h2>
      <form className="filters desk-search" aria-label={t('searchPayments')} onSubmit={search} noValidate>
        <div className="field">
          <label htmlFor="search-transaction">{t('searchTransaction')}</label>
          <span id="search-transaction-hint" className="hint">{t('searchTransactionHint')}</span>
          <input ref={first} id="search-transaction" type="text" maxLength={128} autoComplete="off" spellCheck={false} aria-describedby="search-transaction-hint" value={draft.paymentId} onChange={set('paymentId')} />
        </div>
        <div className="field">
          <label htmlFor="search-amount">{t('searchAmount', { currency: currency.current })}</label>
          <input
            id="search-amount" type="text" inputMode="decimal" autoComplete="off" value={draft.amount} onChange={set('amount')}
            aria-invalid={amountInvalid || undefined} aria-describedby={amountInvalid ? 'search-amount-error' : undefined}
          />
        </div>
        <div className="field">
          <label htmlFor="search-counterparty">{t('searchCounterparty')}</label>
          <input id="search-counterparty" type="text" maxLength={128} autoComplete="off" value={draft.counterparty} onChange={set('counterparty')} />
        </div>
        <div className="field">
          <label htmlFor="search-from">{t('searchFrom')}</label>
          <input id="search-from" type="date" value={draft.from} onChange={set('from')} />
        </div>
        <div className="field">
          <label htmlFor="search-to">{t('searchTo')}</label>
          <input id="search-to" type="date" value={draft.to} onChange={set('to')} />
        </div>
        <div className="inline-row">
          <button type="submit" className="primary">{t('search')}</button>
          <button type="button" onClick={showAll}>{t('showAll')}</button>
        </div>
      </form>
      {amountInvalid && <p id="search-amount-error" className="error" role="alert">{t('searchAmountInvalid')}</p>}
      <ErrorMessage error={payments.error} />
      <p role="status" className="meta">
        {!payments.data ? t('loading') : shown.length === 0 ? t('noPayments') : t('paymentsFound', { count: shown.length })}
      </p>
      <ul className="payments" ref={list}>
        {shown.map((payment) => (
          <PaymentItem key={payment.id} payment={payment} chosen={payment.id === chosenId} locked={locked} locale={locale} onChoose={onChoose} />
        ))}
      </ul>
    </section>
  );
}

function PaymentItem({ payment, chosen, locked, locale, onChoose }: { payment: Payment; chosen: boolean; locked: boolean; locale: 'en' | 'zh-CN'; onChoose: (payment: Payment) => void }) {
  const { t } = useI18n();
  const amount = money(payment.amount, payment.currency, locale);
  const merchant = payment.merchantName ?? payment.merchantId;
  return (
    <li className={chosen ? 'payment chosen' : 'payment'} aria-current={chosen || undefined} data-payment-id={payment.id}>
      <span className="payment-amount">{amount}</span>
      <span className="payment-merchant">{merchant}</span>
      <time dateTime={payment.createdAt}>{dateTime(payment.createdAt, locale)}</time>
      <span>
        <StatusBadge status={payment.status} />
        {payment.status === 'failed' && payment.debited && <span className="flag">{t('debited')}</span>}
        {payment.disputeId && <span className="meta"> · {t('openDispute', { id: shortId(payment.disputeId) })}</span>}
      </span>
      <code className="payment-id">{payment.id}</code>
      <button type="button" disabled={locked} onClick={() => onChoose(payment)}>
        {chosen ? t('chosen') : t('choose')}
        <span className="visually-hidden"> {amount} · {merchant} · {payment.id}</span>
      </button>
    </li>
  );
}
