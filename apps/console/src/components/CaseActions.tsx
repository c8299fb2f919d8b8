// What a person can do to a case: claim it, ask the merchant or the customer, decide, and (supervisors)
// confirm or send back a decision held for four eyes. Buttons follow the roles the token claims; the
// service still decides, and its refusal is shown as it came.
import { FormEvent, useState } from 'react';
import { RecourseClient } from '@recourse/client';
import { approvePending, assign, Case, declinePending, OPEN_STATUSES, requestCustomerInfo, requestMerchantEvidence } from '../api/cases-api';
import { money } from '../lib/format';
import { useAction } from '../lib/hooks';
import { useI18n } from '../lib/i18n';
import { can, Session } from '../lib/session';
import { ErrorMessage } from './bits';
import { DecisionForm } from './DecisionForm';

interface Props {
  item: Case;
  client: RecourseClient;
  session: Session;
  onChanged: () => Promise<void>;
}

export function CaseActions({ item, client, session, onChanged }: Props) {
  const { t } = useI18n();
  const open = (OPEN_STATUSES as readonly string[]).includes(item.status);
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
      {pending.liabilitySplit && <LiabilitySplit split={pending.liabilitySplit} currency={item.dispute.currency} />}
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
      {decision.liabilitySplit && <LiabilitySplit split={decision.liabilitySplit} currency={item.dispute.currency} />}
      {item.prevented && <p data-prevented="true">{t('preventedBody')}</p>}
      {decision.explanation && <p>{decision.explanation}</p>}
    </div>
  );
}

function LiabilitySplit({ split, currency }: { split: { merchant: number; platform: number }; currency: string }) {
  const { t, locale } = useI18n();
  return <p data-liability-split>{t('liabilitySplit', { merchant: money(split.merchant, currency, locale), platform: money(split.platform, currency, locale) })}</p>;
}
