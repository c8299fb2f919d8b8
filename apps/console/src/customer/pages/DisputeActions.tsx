// What the customer can do to their dispute now: add information (with photos or PDFs, for our investigators
// only or for the merchant too, CONTRACT §10) while it is open, withdraw it before a decision, appeal a
// rejection within the window (CONTRACT §3, §4).
import { FormEvent, useEffect, useId, useRef, useState } from 'react';
import { idempotencyKey, IntakeSchemas, ok } from '@recourse/client';
import { FilePicker } from '../components/FilePicker';
import { ProblemNotice } from '../components/bits';
import { Dispute, useCustomer } from '../context';
import type { ChosenFile } from '../files';

/** Before a decision: where messages and a withdrawal are still possible. */
export const UNDECIDED: Dispute['status'][] = ['submitted', 'under_review', 'awaiting_merchant', 'awaiting_customer'];

/** One appeal, only of a rejection, before `appealBy` (the service decides; this only chooses what to offer). */
export function canAppeal(dispute: Dispute, now = new Date()): boolean {
  const { appealBy } = dispute.deadlines;
  return dispute.status === 'rejected' && appealBy !== undefined && Date.parse(appealBy) > now.getTime()
    && !dispute.timeline.some((entry) => entry.type === 'appealed');
}

export function DisputeActions({ dispute, onChange }: { dispute: Dispute; onChange: () => Promise<void> }) {
  const undecided = UNDECIDED.includes(dispute.status);
  return (
    <>
      {undecided && <AddInformation dispute={dispute} onChange={onChange} />}
      {undecided && dispute.withdrawal?.status !== 'requested' && <Withdraw dispute={dispute} onChange={onChange} />}
      {canAppeal(dispute) && <Appeal dispute={dispute} onChange={onChange} />}
    </>
  );
}

function AddInformation({ dispute, onChange }: { dispute: Dispute; onChange: () => Promise<void> }) {
  const { client, t } = useCustomer();
  const id = useId();
  const [body, setBody] = useState('');
  const [files, setFiles] = useState<ChosenFile[]>([]);
  const [visibility, setVisibility] = useState<Visibility>('platform');
  const [missing, setMissing] = useState(false);
  const [state, setState] = useState<{ sending?: boolean; sent?: boolean; error?: unknown }>({});
  // Kept across retries of the same message, renewed by any edit (as when filing).
  const key = useRef<string | null>(null);
  const edit = <T,>(set: (value: T) => void) => (value: T) => {
    key.current = null;
    set(value);
  };

  const send = async (event: FormEvent) => {
    event.preventDefault();
    if (state.sending) return;
    setMissing(!body.trim());
    if (!body.trim()) return document.getElementById(`${id}-body`)?.focus();
    key.current ??= idempotencyKey();
    setState({ sending: true });
    try {
      await ok(client.intake.POST('/v1/disputes/{id}/messages', {
        params: { path: { id: dispute.id }, header: { 'Idempotency-Key': key.current } },
        body: { body: body.trim(), visibility, attachments: files.length ? files.map(({ fileName, contentType, contentBase64 }) => ({ fileName, contentType, contentBase64 })) : undefined },
      }));
      setBody('');
      setFiles([]);
      setVisibility('platform');
      key.current = null;
      setState({ sent: true });
      await onChange();
    } catch (error) {
      setState({ error });
    }
  };

  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('addInfoTitle')}</h2>
      <form noValidate onSubmit={(event) => void send(event)}>
        <div className="field">
          <label htmlFor={`${id}-body`}>{t('message')}</label>
          <textarea id={`${id}-body`} rows={3} maxLength={5000} value={body} aria-invalid={missing || undefined}
            aria-describedby={missing ? `${id}-body-error` : undefined} onChange={(event) => edit(setBody)(event.target.value)} />
          {missing && <p id={`${id}-body-error`} className="field-error">{t('messageRequired')}</p>}
        </div>
        <VisibilityChoice name={`${id}-visibility`} value={visibility} onChange={edit(setVisibility)} />
        <FilePicker files={files} onChange={edit(setFiles)} />
        <ProblemNotice error={state.error} />
        <p role="status" className="hint">{state.sent ? t('messageSent') : ''}</p>
        <button type="submit" className="secondary" aria-disabled={state.sending || undefined}>{state.sending ? t('sending') : t('send')}</button>
      </form>
    </section>
  );
}

type Visibility = NonNullable<IntakeSchemas['AddMessageDto']['visibility']>;

/** Who reads the message (CONTRACT §10): our investigators only, the default, or the merchant as well. */
function VisibilityChoice({ name, value, onChange }: { name: string; value: Visibility; onChange: (value: Visibility) => void }) {
  const { t } = useCustomer();
  return (
    <fieldset className="field">
      <legend>{t('visibilityLegend')}</legend>
      {(['platform', 'all'] as const).map((option) => (
        <label key={option} className="choice">
          <input type="radio" name={name} value={option} checked={value === option} onChange={() => onChange(option)} />
          <span>{t(option === 'platform' ? 'visibilityPlatform' : 'visibilityAll')}</span>
        </label>
      ))}
    </fieldset>
  );
}

function Withdraw({ dispute, onChange }: { dispute: Dispute; onChange: () => Promise<void> }) {
  const { client, t } = useCustomer();
  const id = useId();
  const [reason, setReason] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<unknown>();
  const question = useRef<HTMLParagraphElement>(null);
  // Focus lands on the question, so a screen reader reads it before the two answers.
  useEffect(() => {
    if (confirming) question.current?.focus();
  }, [confirming]);

  const withdraw = async () => {
    setError(undefined);
    try {
      await ok(client.intake.POST('/v1/disputes/{id}/withdraw', { params: { path: { id: dispute.id } }, body: reason.trim() ? { reason: reason.trim() } : {} }));
      await onChange();
    } catch (caught) {
      setError(caught);
      setConfirming(false);
    }
  };

  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('withdrawTitle')}</h2>
      <p>{t('withdrawExplain')}</p>
      <div className="field">
        <label htmlFor={`${id}-reason`}>{t('withdrawReason')}</label>
        <textarea id={`${id}-reason`} rows={2} maxLength={2000} value={reason} onChange={(event) => setReason(event.target.value)} />
      </div>
      <ProblemNotice error={error} />
      {confirming ? (
        <div className="confirm" role="group" aria-labelledby={`${id}-confirm`}>
          <p id={`${id}-confirm`} tabIndex={-1} ref={question}>{t('withdrawConfirm')}</p>
          <button type="button" className="danger" onClick={() => void withdraw()}>{t('withdrawYes')}</button>
          <button type="button" className="secondary" onClick={() => setConfirming(false)}>{t('withdrawNo')}</button>
        </div>
      ) : (
        <button type="button" className="secondary" onClick={() => setConfirming(true)}>{t('withdraw')}</button>
      )}
    </section>
  );
}

function Appeal({ dispute, onChange }: { dispute: Dispute; onChange: () => Promise<void> }) {
  const { client, locale, t } = useCustomer();
  const id = useId();
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  const [error, setError] = useState<unknown>();
  const appealBy = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short' }).format(new Date(dispute.deadlines.appealBy ?? Date.now()));

  const appeal = async (event: FormEvent) => {
    event.preventDefault();
    setMissing(!reason.trim());
    if (!reason.trim()) return document.getElementById(`${id}-reason`)?.focus();
    setError(undefined);
    try {
      await ok(client.intake.POST('/v1/disputes/{id}/appeal', { params: { path: { id: dispute.id } }, body: { reason: reason.trim() } }));
      await onChange();
    } catch (caught) {
      setError(caught);
    }
  };

  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('appealTitle')}</h2>
      <p>{t('appealExplain', { appealBy })}</p>
      <form noValidate onSubmit={(event) => void appeal(event)}>
        <div className="field">
          <label htmlFor={`${id}-reason`}>{t('appealReason')}</label>
          <textarea id={`${id}-reason`} rows={3} maxLength={2000} value={reason} aria-invalid={missing || undefined}
            aria-describedby={missing ? `${id}-reason-error` : undefined} onChange={(event) => setReason(event.target.value)} />
          {missing && <p id={`${id}-reason-error`} className="field-error">{t('appealRequired')}</p>}
        </div>
        <ProblemNotice error={error} />
        <button type="submit" className="primary">{t('appealSubmit')}</button>
      </form>
    </section>
  );
}
