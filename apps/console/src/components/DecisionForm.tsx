// A person's decision on a case: approve (in full or in part) or reject, with a reason code and an
// explanation. An approval may split its cost between the merchant and the platform (CONTRACT §10): the
// person gives the merchant's leg and the platform bears the rest, so the legs always sum to the refund.
import { FormEvent, useState } from 'react';
import { RecourseClient } from '@recourse/client';
import { Case, decide, Decision } from '../api/cases-api';
import { majorUnits, money, toMinorUnits } from '../lib/format';
import { useAction } from '../lib/hooks';
import { useI18n } from '../lib/i18n';
import { ErrorMessage } from './bits';

interface Props {
  item: Case;
  client: RecourseClient;
  onChanged: () => Promise<void>;
}

export function DecisionForm({ item, client, onChanged }: Props) {
  const { t, locale } = useI18n();
  const { amount, currency } = item.dispute;
  const [outcome, setOutcome] = useState<'approve' | 'reject'>('approve');
  const [typedAmount, setTypedAmount] = useState(() => majorUnits(amount, currency));
  const [split, setSplit] = useState(false);
  const [typedMerchantLeg, setTypedMerchantLeg] = useState('');
  const [reasonCode, setReasonCode] = useState('');
  const [explanation, setExplanation] = useState('');
  const [invalid, setInvalid] = useState<{ amount?: boolean; leg?: boolean }>({});
  const action = useAction(onChanged);
  const refundAmount = toMinorUnits(typedAmount, currency);
  const merchantLeg = toMinorUnits(typedMerchantLeg, currency);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const approving = outcome === 'approve';
    const badAmount = approving && (refundAmount === null || refundAmount < 1 || refundAmount > amount);
    const badLeg = approving && split && !badAmount && (merchantLeg === null || merchantLeg > (refundAmount ?? 0));
    setInvalid({ amount: badAmount, leg: badLeg });
    if (badAmount || badLeg) return;
    const decision: Decision = { outcome, reasonCode: reasonCode.trim(), explanation: explanation.trim() };
    if (approving) decision.refundAmount = refundAmount ?? undefined;
    if (approving && split && refundAmount !== null && merchantLeg !== null) decision.liability = { merchant: merchantLeg, platform: refundAmount - merchantLeg };
    void action.run(() => decide(client, item.id, decision));
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
          <AmountField id="refund-amount" label={t('refundAmount', { currency })} hint={t('refundAmountHint', { max: money(amount, currency, locale) })}
            value={typedAmount} onChange={setTypedAmount} invalid={invalid.amount} error={t('amountInvalid')} />
          <label className="inline">
            <input type="checkbox" checked={split} onChange={(event) => setSplit(event.target.checked)} /> {t('splitLiability')}
          </label>
          {split && <SplitLegs currency={currency} refundAmount={refundAmount} merchantLeg={merchantLeg} typed={typedMerchantLeg} onChange={setTypedMerchantLeg} invalid={invalid.leg} />}
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

interface AmountProps {
  id: string;
  label: string;
  hint: string;
  value: string;
  onChange: (value: string) => void;
  invalid?: boolean;
  error: string;
}

function AmountField({ id, label, hint, value, onChange, invalid, error }: AmountProps) {
  return (
    <>
      <label htmlFor={id}>{label}</label>
      <p id={`${id}-hint`} className="hint">{hint}</p>
      <input
        id={id} inputMode="decimal" value={value} aria-describedby={invalid ? `${id}-hint ${id}-error` : `${id}-hint`}
        aria-invalid={invalid || undefined} onChange={(event) => onChange(event.target.value)}
      />
      {invalid && <p id={`${id}-error`} className="error" role="alert">{error}</p>}
    </>
  );
}

interface SplitProps {
  currency: string;
  refundAmount: number | null;
  merchantLeg: number | null;
  typed: string;
  onChange: (value: string) => void;
  invalid?: boolean;
}

/** The merchant's leg as typed; the platform's is the rest of the refund, shown as it follows. */
function SplitLegs({ currency, refundAmount, merchantLeg, typed, onChange, invalid }: SplitProps) {
  const { t, locale } = useI18n();
  const platformLeg = refundAmount !== null && merchantLeg !== null && merchantLeg <= refundAmount ? refundAmount - merchantLeg : null;
  return (
    <div className="split" role="group" aria-label={t('splitLiability')}>
      <AmountField id="merchant-leg" label={t('merchantLeg', { currency })} hint={t('merchantLegHint')} value={typed} onChange={onChange} invalid={invalid} error={t('merchantLegInvalid')} />
      <p className="meta" aria-live="polite" data-platform-leg={platformLeg ?? ''}>
        {t('platformLeg')}: {platformLeg === null ? '–' : money(platformLeg, currency, locale)}
      </p>
    </div>
  );
}
