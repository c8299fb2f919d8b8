// A supervisor's resolution of an incident (CONTRACT §12): one outcome, reason code and explanation for every
// undecided case in it. Two steps, because it decides many cases at once: the form, then a confirmation that
// states, from the incident's counts read again at that moment, how many it will decide and how many it leaves alone.
import { FormEvent, useEffect, useRef, useState } from 'react';
import { RecourseClient } from '@recourse/client';
import { getIncident, Incident, LIABILITIES, resolveIncident, ResolveIncident } from '../api/incidents-api';
import { useAction } from '../lib/hooks';
import { useI18n } from '../lib/i18n';
import { ResolutionImpact, resolutionImpact } from '../lib/incidents';
import { ErrorMessage, ProblemDetails } from './bits';

interface Props {
  incident: Incident;
  client: RecourseClient;
  onChanged: () => Promise<void>;
}

export function ResolveIncidentForm({ incident, client, onChanged }: Props) {
  const { t } = useI18n();
  const [outcome, setOutcome] = useState<ResolveIncident['outcome']>('approve');
  const [reasonCode, setReasonCode] = useState('');
  const [explanation, setExplanation] = useState('');
  const [liability, setLiability] = useState<ResolveIncident['liability'] | ''>('');
  // Set while the supervisor confirms: the counts the confirmation states.
  const [impact, setImpact] = useState<ResolutionImpact | null>(null);
  const [result, setResult] = useState<Incident | null>(null);
  const review = useAction(async () => undefined);
  const resolve = useAction(onChanged);
  const confirmRef = useRef<HTMLHeadingElement>(null);

  // The confirmation takes focus, so a screen reader reads what is about to happen before the button.
  useEffect(() => {
    if (impact) confirmRef.current?.focus();
  }, [impact]);

  const body = (): ResolveIncident => ({
    outcome, reasonCode: reasonCode.trim(), explanation: explanation.trim(),
    ...(outcome === 'approve' && liability ? { liability } : {}),
  });
  const toReview = (event: FormEvent) => {
    event.preventDefault();
    // Read again, not the page's last refresh: cases may have been decided since, one by one or by another resolution.
    void review.run(async () => setImpact(resolutionImpact((await getIncident(client, incident.id)).counts)));
  };
  const confirm = () => void resolve.run(async () => {
    setResult(await resolveIncident(client, incident.id, body()));
    setImpact(null);
  });

  if (result?.resolution) {
    return (
      <section aria-labelledby="resolve-h" className="action">
        <h2 id="resolve-h">{t('resolveTitle')}</h2>
        <p className="ok" role="status" data-resolved={result.status}>
          {t('resolveDone', { count: result.resolution.decidedCount })} {t('resolveHeld', { count: result.resolution.heldForFourEyes.length })}
        </p>
      </section>
    );
  }
  // Nothing to ask once a resolution was requested (here or by someone else), unless this one is being confirmed:
  // then the service's answer, even a refusal, is what the supervisor must see.
  if (!incident.accepting && !impact && !resolve.error) return null;

  return (
    <section aria-labelledby="resolve-h" className="action">
      <h2 id="resolve-h">{t('resolveTitle')}</h2>
      {!impact ? (
        <form aria-labelledby="resolve-h" onSubmit={toReview}>
          <p className="hint">{t('resolveIntro')}</p>
          <fieldset>
            <legend>{t('outcome')}</legend>
            {(['approve', 'reject'] as const).map((value) => (
              <label key={value} className="inline">
                <input type="radio" name="incident-outcome" value={value} checked={outcome === value} onChange={() => setOutcome(value)} /> {t(value)}
              </label>
            ))}
          </fieldset>
          <label htmlFor="incident-reason-code">{t('reasonCode')}</label>
          <input id="incident-reason-code" required pattern="[a-z][a-z0-9_]{0,63}" placeholder="merchant_outage" value={reasonCode} onChange={(event) => setReasonCode(event.target.value)} />
          <label htmlFor="incident-explanation">{t('explanation')}</label>
          <textarea id="incident-explanation" rows={3} required maxLength={2000} value={explanation} onChange={(event) => setExplanation(event.target.value)} />
          {outcome === 'approve' && (
            <>
              <label htmlFor="incident-liability">{t('liability')}</label>
              <select id="incident-liability" value={liability} onChange={(event) => setLiability(event.target.value as ResolveIncident['liability'] | '')}>
                <option value="">{t('liabilityUsual')}</option>
                {LIABILITIES.map((value) => <option key={value} value={value}>{t(value === 'merchant' ? 'liabilityMerchant' : 'liabilityPlatform')}</option>)}
              </select>
            </>
          )}
          <button type="submit" className="primary" disabled={review.busy || !reasonCode || !explanation.trim()}>{t('resolveReview')}</button>
          <ErrorMessage error={review.error} />
        </form>
      ) : (
        <div role="group" aria-labelledby="resolve-confirm-h" className="pending" data-undecided={impact.undecided}>
          <h3 id="resolve-confirm-h" ref={confirmRef} tabIndex={-1}>{t('resolveConfirmTitle')}</h3>
          <p>{t(outcome === 'approve' ? 'resolveConfirmApprove' : 'resolveConfirmReject', { count: impact.undecided })}</p>
          {impact.leftAlone > 0 && <p>{t('resolveConfirmLeftAlone', { count: impact.leftAlone })}</p>}
          {outcome === 'approve' && <p className="hint">{t('resolveConfirmFourEyes')}</p>}
          <p className="meta"><code>{reasonCode.trim()}</code> · {explanation.trim()}</p>
          <button type="button" className="primary" disabled={resolve.busy} onClick={confirm}>{t('resolveConfirm', { count: impact.undecided })}</button>{' '}
          <button type="button" disabled={resolve.busy} onClick={() => setImpact(null)}>{t('resolveChange')}</button>
        </div>
      )}
      <ProblemDetails error={resolve.error} explain={{ incident_already_resolved: 'resolveConflict' }} />
    </section>
  );
}
