// Filing for the caller: first the identity check (an agent files only for a caller who passed one,
// CONTRACT §4), then the dispute itself, in the caller's language.
import { RecourseClient } from '@recourse/client';
import { FormEvent, useState } from 'react';
import { REASONS } from '../api/cases-api';
import { ErrorMessage } from '../components/bits';
import { majorUnits, money, toMinorUnits } from '../lib/format';
import { LANGUAGE_NAMES, Locale, useI18n } from '../lib/i18n';
import { Dispute, fileDispute, IDENTITY_METHODS, IdentityMethod, NewDispute, Payment } from './desk-api';
import { submitOnCtrlEnter, useSubmit } from './submit';

interface Props {
  client: RecourseClient;
  customerId: string;
  payment: Payment;
  callerLocale: Locale;
  onFiled: (dispute: Dispute) => void;
}

export function FilingForm({ client, customerId, payment, callerLocale, onFiled }: Props) {
  const { t, label, locale } = useI18n();
  const [method, setMethod] = useState<IdentityMethod | ''>('');
  const [passed, setPassed] = useState(false);
  // The wallet's own record of a failed payment that took the money says which reason it is.
  const [reason, setReason] = useState<NewDispute['reason'] | ''>(payment.status === 'failed' && payment.debited ? 'payment_failed_but_debited' : '');
  const [description, setDescription] = useState('');
  const [typedAmount, setTypedAmount] = useState(() => majorUnits(payment.amount, payment.currency));
  const [amountInvalid, setAmountInvalid] = useState(false);
  const [incomplete, setIncomplete] = useState(false);
  const filing = useSubmit();
  const identified = method !== '' && passed;
  const max = money(payment.amount, payment.currency, locale);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (method === '' || !passed) return;
    setIncomplete(reason === '' || !description.trim());
    if (reason === '' || !description.trim()) return;
    const amount = toMinorUnits(typedAmount, payment.currency);
    const badAmount = amount === null || amount < 1 || amount > payment.amount;
    setAmountInvalid(badAmount);
    if (badAmount) return;
    const body: NewDispute = {
      paymentId: payment.id, customerId, reason, description: description.trim(), amount, locale: callerLocale, identityCheck: { method, passed: true },
    };
    const dispute = await filing.run(body, (key) => fileDispute(client, body, key));
    if (dispute) onFiled(dispute);
  };

  return (
    <form className="action desk-filing" aria-labelledby="file-h" onSubmit={(event) => void submit(event)} noValidate>
      <h2 id="file-h">{t('fileTitle')}</h2>
      <fieldset>
        <legend>{t('identityTitle')}</legend>
        <label htmlFor="identity-method">{t('identityMethod')}</label>
        <select id="identity-method" required value={method} onChange={(event) => setMethod(event.target.value as IdentityMethod | '')}>
          <option value="">{t('chooseOne')}</option>
          {IDENTITY_METHODS.map((value) => <option key={value} value={value}>{label(value)}</option>)}
        </select>
        <label className="inline" htmlFor="identity-passed">
          <input id="identity-passed" type="checkbox" checked={passed} onChange={(event) => setPassed(event.target.checked)} /> {t('identityPassed')}
        </label>
        {!identified && <p id="identity-required" className="hint">{t('identityRequired')}</p>}
      </fieldset>
      <label htmlFor="dispute-reason">{t('reason')}</label>
      <select id="dispute-reason" required value={reason} onChange={(event) => setReason(event.target.value as NewDispute['reason'] | '')}>
        <option value="">{t('chooseOne')}</option>
        {REASONS.map((value) => <option key={value} value={value}>{label(value)}</option>)}
      </select>
      <label htmlFor="dispute-description">{t('description')}</label>
      <textarea
        id="dispute-description" rows={3} required maxLength={2000} value={description}
        onChange={(event) => setDescription(event.target.value)} onKeyDown={submitOnCtrlEnter}
      />
      <label htmlFor="dispute-amount">{t('disputeAmount', { currency: payment.currency })}</label>
      <p id="dispute-amount-hint" className="hint">{t('disputeAmountHint', { max })}</p>
      <input
        id="dispute-amount" inputMode="decimal" autoComplete="off" value={typedAmount} onChange={(event) => setTypedAmount(event.target.value)}
        aria-describedby={amountInvalid ? 'dispute-amount-hint dispute-amount-error' : 'dispute-amount-hint'} aria-invalid={amountInvalid || undefined}
      />
      {amountInvalid && <p id="dispute-amount-error" className="error" role="alert">{t('disputeAmountInvalid', { max })}</p>}
      <p className="hint">{t('callerLanguage')}: <span lang={callerLocale}>{LANGUAGE_NAMES[callerLocale]}</span></p>
      {incomplete && <p className="error" role="alert">{t('filingIncomplete')}</p>}
      <button type="submit" className="primary" disabled={!identified || filing.busy}>
        {filing.busy ? t('filing') : t('fileDispute')}
      </button>
      <ErrorMessage error={filing.error} />
    </form>
  );
}
