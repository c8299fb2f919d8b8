// "Dispute this payment": reason, amount, what happened and photos or PDFs. Errors sit next to the field they
// concern, in the page's language; a retry of the same filing reuses its Idempotency-Key, so a lost answer
// never files twice, while any edit makes it a new filing with a new key.
import { FormEvent, useId, useRef, useState } from 'react';
import { idempotencyKey, IntakeSchemas, ok } from '@recourse/client';
import { majorUnits, money, toMinorUnits } from '../../lib/format';
import { useLoad } from '../../lib/hooks';
import { FilePicker } from '../components/FilePicker';
import { ProblemNotice, SkeletonRows, When } from '../components/bits';
import { Payment, useCustomer } from '../context';
import type { ChosenFile } from '../files';
import { describeProblem, fieldProblems } from '../problems';

type Reason = IntakeSchemas['CreateDisputeDto']['reason'];
type Field = 'reason' | 'amount' | 'description' | 'attachments';

// Every reason, most common first; a Record so that a reason the contract adds cannot be left out.
const REASON_ORDER: Record<Reason, number> = {
  goods_not_received: 0, incorrect_amount: 1, duplicate_charge: 2, refund_not_received: 3, payment_failed_but_debited: 4, unrecognized_charge: 5, other: 6,
};
const REASONS = (Object.keys(REASON_ORDER) as Reason[]).sort((a, b) => REASON_ORDER[a] - REASON_ORDER[b]);

export function DisputeForm({ paymentId }: { paymentId: string }) {
  const { client, locale, t } = useCustomer();
  const payment = useLoad(() => ok(client.intake.GET('/v1/payments/{id}', { params: { path: { id: paymentId }, query: { locale } } })), [client, paymentId, locale]);
  return (
    <section>
      <a className="back" href={`#/payments/${encodeURIComponent(paymentId)}`}>{t('paymentTitle')}</a>
      <h1 tabIndex={-1}>{t('formTitle')}</h1>
      <ProblemNotice error={payment.error} />
      {!payment.data ? (
        !payment.error && <SkeletonRows rows={1} className="card-skeleton" />
      ) : payment.data.disputeId ? (
        <p className="notice">
          {t('alreadyDisputed')} <a href={`#/disputes/${encodeURIComponent(payment.data.disputeId)}`}>{t('viewDispute')}</a>
        </p>
      ) : (
        <FilingForm payment={payment.data} />
      )}
    </section>
  );
}

function FilingForm({ payment }: { payment: Payment }) {
  const customer = useCustomer();
  const { client, locale, t, label } = customer;
  const id = useId();
  const [reason, setReason] = useState<Reason | ''>(payment.status === 'failed' && payment.debited ? 'payment_failed_but_debited' : '');
  const [amount, setAmount] = useState(majorUnits(payment.amount, payment.currency));
  const [description, setDescription] = useState('');
  const [files, setFiles] = useState<ChosenFile[]>([]);
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [problem, setProblem] = useState<unknown>();
  const [submitting, setSubmitting] = useState(false);
  const key = useRef<string | null>(null);
  const max = money(payment.amount, payment.currency, locale);

  // Any edit makes the next submission a new filing: the service refuses a reused key with another body.
  const edit = <T,>(set: (value: T) => void) => (value: T) => {
    key.current = null;
    set(value);
  };

  const showErrors = (found: Partial<Record<Field, string>>) => {
    setErrors(found);
    const first = (['reason', 'amount', 'description', 'attachments'] as Field[]).find((field) => found[field]);
    if (first) document.getElementById(`${id}-${first}`)?.focus();
    return Boolean(first);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (submitting) return;
    setProblem(undefined);
    const minor = toMinorUnits(amount, payment.currency);
    const invalid = showErrors({
      reason: reason ? undefined : t('reasonRequired'),
      amount: minor ? undefined : t('amountInvalid'),
      description: description.trim() ? undefined : t('descriptionRequired'),
    });
    if (invalid || !reason || !minor) return;
    key.current ??= idempotencyKey();
    setSubmitting(true);
    try {
      const dispute = await ok(client.intake.POST('/v1/disputes', {
        params: { header: { 'Idempotency-Key': key.current } },
        body: {
          paymentId: payment.id, reason, amount: minor, description: description.trim(), locale,
          attachments: files.length ? files.map(({ fileName, contentType, contentBase64 }) => ({ fileName, contentType, contentBase64 })) : undefined,
        },
      }));
      window.location.hash = `#/disputes/${encodeURIComponent(dispute.id)}`;
    } catch (error) {
      const fields = fieldProblems(error);
      const attachment = fields.get('attachments');
      const shown = showErrors({
        amount: fields.get('amount') && (fields.get('amount')?.code === 'amount_exceeds_payment' ? t('amountTooHigh', { max }) : t('amountInvalid')),
        description: fields.get('description') && t('descriptionRequired'),
        reason: fields.get('reason') && t('reasonRequired'),
        attachments: attachment && [files[attachment.index ?? -1]?.fileName, describeProblem(error, customer)].filter(Boolean).join(': '),
      });
      if (!shown) setProblem(error);
    } finally {
      setSubmitting(false);
    }
  };

  const describedBy = (field: Field, hint?: string) => [hint, errors[field] ? `${id}-${field}-error` : undefined].filter(Boolean).join(' ') || undefined;
  const error = (field: Field) => errors[field] && <p id={`${id}-${field}-error`} className="field-error">{errors[field]}</p>;

  return (
    <form className="filing" noValidate onSubmit={(event) => void submit(event)} aria-label={t('formTitle')}>
      <p className="card summary">
        <span className="row-title">{payment.merchantName ?? payment.merchantId}</span> <span className="row-amount">{max}</span>{' '}
        <span className="row-meta"><When iso={payment.createdAt} /></span>
      </p>

      <fieldset className="field" aria-describedby={describedBy('reason')}>
        <legend>{t('reasonLegend')}</legend>
        {REASONS.map((value, index) => (
          <label key={value} className="choice">
            <input id={index === 0 ? `${id}-reason` : undefined} type="radio" name={`${id}-reason`} value={value} checked={reason === value}
              onChange={() => edit(setReason)(value)} />
            {label(value)}
          </label>
        ))}
        {error('reason')}
      </fieldset>

      <div className="field">
        <label htmlFor={`${id}-amount`}>{t('amountLabel', { currency: payment.currency })}</label>
        <p id={`${id}-amount-hint`} className="hint">{t('amountHint', { max })}</p>
        <input id={`${id}-amount`} type="text" inputMode="decimal" autoComplete="off" value={amount} aria-invalid={errors.amount ? true : undefined}
          aria-describedby={describedBy('amount', `${id}-amount-hint`)} onChange={(event) => edit(setAmount)(event.target.value)} />
        {error('amount')}
      </div>

      <div className="field">
        <label htmlFor={`${id}-description`}>{t('descriptionLabel')}</label>
        <p id={`${id}-description-hint`} className="hint">{t('descriptionHint')}</p>
        <textarea id={`${id}-description`} rows={5} maxLength={2000} value={description} aria-invalid={errors.description ? true : undefined}
          aria-describedby={describedBy('description', `${id}-description-hint`)} onChange={(event) => edit(setDescription)(event.target.value)} />
        {error('description')}
      </div>

      <div id={`${id}-attachments`} tabIndex={-1}>
        <FilePicker files={files} onChange={edit(setFiles)} problem={errors.attachments} />
      </div>

      <ProblemNotice error={problem} />
      <button type="submit" className="primary" aria-disabled={submitting || undefined}>{submitting ? t('submitting') : t('submit')}</button>
    </form>
  );
}
