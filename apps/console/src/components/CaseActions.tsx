// What a person can do to a case: claim it, ask the merchant or the customer, decide, and (supervisors)
// confirm or send back a decision held for four eyes. Buttons follow the roles the token claims; the
// service still decides, and its refusal is shown as it came.
import { FormEvent, useState } from 'react';
import { RecourseClient } from '@recourse/client';
import { approvePending, assign, Case, decide, declinePending, requestCustomerInfo, requestMerchantEvidence } from '../api/cases-api';
import { majorUnits, money, toMinorUnits } from '../lib/format';
import { useI18n } from '../lib/i18n';
import { can, Session } from '../lib/session';
import { ErrorMessage } from './bits';

const OPEN = ['submitted', 'under_review', 'awaiting_merchant', 'awaiting_customer'];

interface Props {
  item: Case;
  client: RecourseClient;
  session: Session;
  onChanged: () => Promise<void>;
}

/** Runs an action, then reloads the case; a refusal is announced. */
export function useAction(onChanged: () => Promise<void>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | undefined>();
  const run = async (action: () => Promise<unknown>): Promise<boolean> => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
      await onChanged();
      return true;
    } catch (failure) {
      setError(failure as Error);
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
}

export function CaseActions({ item, client, session, onChanged }: Props) {
  const { t } = useI18n();
  const open = OPEN.includes(item.status);
  const claim = useAction(onChanged);
  return (
    <section aria-labelledby="actions-h">
      <h2 id="actions-h">{t('actions')}</h2>
      {open && (
        item.assignee === session.sub
          ? <p>{t('claimed')}</p>
          : <button type="button" disabled={claim.busy} onClick={() => void claim.run(() => assign(client, item.id))}>{t('claim')}</button>
      )}
      <ErrorMessage error={claim.error} />
      {open && !item.pendingDecision && (
        <>
          <MessageAction id="request-evidence" title={t('requestEvidence')} onSend={(message) => requestMerchantEvidence(client, item.id, message)} onChanged={onChanged} />
          <MessageAction id="request-info" title={t('requestInfo')} onSend={(message) => requestCustomerInfo(client, item.id, message)} onChanged={onChanged} />
          <DecisionForm item={item} client={client} onChanged={onChanged} />
        </>
      )}
      {item.pendingDecision && <PendingDecision item={item} client={client} session={session} onChanged={onChanged} />}
      {item.decision && <Decided item={item} />}
    </section>
  );
}

function MessageAction({ id, title, onSend, onChanged }: { id: string; title: string; onSend: (message: string) => Promise<unknown>; onChanged: () => Promise<void> }) {
  const { t } = useI18n();
  const [message, setMessage] = useState('');
  const action = useAction(onChanged);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await action.run(() => onSend(message.trim()))) setMessage('');
  };
  return (
    <form className="action" aria-labelledby={`${id}-h`} onSubmit={(event) => void submit(event)}>
      <h3 id={`${id}-h`}>{title}</h3>
      <label htmlFor={`${id}-message`}>{t('message')}</label>
      <textarea id={`${id}-message`} rows={2} required maxLength={2000} value={message} onChange={(event) => setMessage(event.target.value)} />
      <button type="submit" disabled={action.busy || !message.trim()}>{t('send')}</button>
      <ErrorMessage error={action.error} />
    </form>
  );
}

function DecisionForm({ item, client, onChanged }: Omit<Props, 'session'>) {
  const { t, locale } = useI18n();
  const { amount, currency } = item.dispute;
  const [outcome, setOutcome] = useState<'approve' | 'reject'>('approve');
  const [typedAmount, setTypedAmount] = useState(() => majorUnits(amount, currency));
  const [reasonCode, setReasonCode] = useState('');
  const [explanation, setExplanation] = useState('');
  const [invalid, setInvalid] = useState(false);
  const action = useAction(onChanged);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const refundAmount = outcome === 'approve' ? toMinorUnits(typedAmount, currency) : undefined;
    const bad = outcome === 'approve' && (refundAmount === null || refundAmount === undefined || refundAmount < 1 || refundAmount > amount);
    setInvalid(bad);
    if (bad) return;
    void action.run(() => decide(client, item.id, { outcome, refundAmount: refundAmount ?? undefined, reasonCode: reasonCode.trim(), explanation: explanation.trim() }));
  };

  return (
    <form className="action" aria-labelledby="decide-h" onSubmit={submit}>
      <h3 id="decide-h">{t('decide')}</h3>
      <fieldset>
        <legend>{t('outcome')}</legend>
        {(['approve', 'reject'] as const).map((value) => (
          <label key={value} className="inline">
            <input type="radio" name="outcome" value={value} checked={outcome === value} onChange={() => setOutcome(value)} /> {t(value)}
          </label>
        ))}
      </fieldset>
      {outcome === 'approve' && (
        <>
          <label htmlFor="refund-amount">{t('refundAmount', { currency })}</label>
          <p id="refund-amount-hint" className="hint">{t('refundAmountHint', { max: money(amount, currency, locale) })}</p>
          <input
            id="refund-amount" inputMode="decimal" value={typedAmount} aria-describedby={invalid ? 'refund-amount-hint refund-amount-error' : 'refund-amount-hint'}
            aria-invalid={invalid || undefined} onChange={(event) => setTypedAmount(event.target.value)}
          />
          {invalid && <p id="refund-amount-error" className="error" role="alert">{t('amountInvalid')}</p>}
        </>
      )}
      <label htmlFor="reason-code">{t('reasonCode')}</label>
      <input id="reason-code" required pattern="[a-z][a-z0-9_]{0,63}" placeholder="merchant_error" value={reasonCode} onChange={(event) => setReasonCode(event.target.value)} />
      <label htmlFor="explanation">{t('explanation')}</label>
      <textarea id="explanation" rows={3} required maxLength={2000} value={explanation} onChange={(event) => setExplanation(event.target.value)} />
      <button type="submit" className="primary" disabled={action.busy || !reasonCode || !explanation.trim()}>{t('submitDecision')}</button>
      <ErrorMessage error={action.error} />
    </form>
  );
}

function PendingDecision({ item, client, session, onChanged }: Props) {
  const { t, locale } = useI18n();
  const pending = item.pendingDecision as NonNullable<Case['pendingDecision']>;
  const [explanation, setExplanation] = useState('');
  const action = useAction(onChanged);
  const mine = pending.decidedBy === session.sub;
  return (
    <div className="pending" role="group" aria-labelledby="pending-h">
      <h3 id="pending-h">{t('pending')}</h3>
      <p>{t('pendingBody', { decidedBy: pending.decidedBy, amount: money(pending.refundAmount, item.dispute.currency, locale), explanation: pending.explanation })}</p>
      {!can(session, 'supervisor') && <p>{t('supervisorOnly')}</p>}
      {can(session, 'supervisor') && mine && <p>{t('ownDecision')}</p>}
      {can(session, 'supervisor') && !mine && (
        <>
          <button type="button" className="primary" disabled={action.busy} onClick={() => void action.run(() => approvePending(client, item.id))}>{t('approvePending')}</button>
          <form onSubmit={(event) => { event.preventDefault(); void action.run(() => declinePending(client, item.id, explanation.trim())); }}>
            <label htmlFor="decline-reason">{t('declineReason')}</label>
            <textarea id="decline-reason" rows={2} required value={explanation} onChange={(event) => setExplanation(event.target.value)} />
            <button type="submit" disabled={action.busy || !explanation.trim()}>{t('declinePending')}</button>
          </form>
        </>
      )}
      <ErrorMessage error={action.error} />
    </div>
  );
}

function Decided({ item }: { item: Case }) {
  const { t, label, locale } = useI18n();
  const decision = item.decision as NonNullable<Case['decision']>;
  return (
    <div className="decided">
      <h3>{t('decided', { outcome: label(item.outcome ?? decision.outcome) })}</h3>
      {decision.refundAmount !== undefined && <p>{money(decision.refundAmount, item.dispute.currency, locale)} · <code>{decision.reasonCode}</code></p>}
      {decision.explanation && <p>{decision.explanation}</p>}
    </div>
  );
}
