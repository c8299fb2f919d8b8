// Pre-arbitration (CONTRACT §10): the merchant's appeal of an approval it bears, and the ruling on it by a
// supervisor who took no part in the decision. The customer keeps the money either way; `reverse` moves the
// cost from the merchant to the platform.
import { FormEvent, useState } from 'react';
import { RecourseClient } from '@recourse/client';
import { Case, rule, Ruling } from '../api/cases-api';
import { dateTime, money } from '../lib/format';
import { useAction } from '../lib/hooks';
import { MessageKey, useI18n } from '../lib/i18n';
import { can, Session } from '../lib/session';
import { AttachmentItem } from './AttachmentItem';
import { ErrorMessage } from './bits';

/** The refusals a ruling can meet, in the console's words. */
const RULING_PROBLEMS: Record<string, MessageKey> = {
  four_eyes_required: 'rulingFourEyes',
  invalid_transition: 'rulingNotOpen',
  forbidden: 'rulingSupervisorOnly',
};

interface Props {
  item: Case;
  client: RecourseClient;
  session: Session;
  onChanged: () => Promise<void>;
}

export function CaseStage({ item, client, session, onChanged }: Props) {
  const { t, label, locale } = useI18n();
  const { merchantAppeal: appeal, ruling } = item;
  if (!appeal && !ruling) return null;
  return (
    <section aria-labelledby="stage-h" data-stage={item.stage}>
      <h2 id="stage-h">{t('merchantAppeal')} <span className={`badge stage-${item.stage}`}>{label(item.stage)}</span></h2>
      {appeal && (
        <div className="appeal">
          <p className="meta">{t('appealedAt', { time: dateTime(appeal.appealedAt, locale), amount: money(appeal.merchantAmount, item.dispute.currency, locale) })}</p>
          <p className="body">{appeal.reason}</p>
          {appeal.attachments.length > 0 && (
            <ul className="attachments">{appeal.attachments.map((file) => <AttachmentItem key={file.sha256} caseId={item.id} file={file} client={client} />)}</ul>
          )}
        </div>
      )}
      {ruling && (
        <div className="ruling" data-ruling={ruling.outcome}>
          <h3>{t('ruled', { outcome: label(`ruling_${ruling.outcome}`) })}</h3>
          <p className="meta">{ruling.ruledBy.type}:{ruling.ruledBy.id} · {dateTime(ruling.ruledAt, locale)}</p>
          <p className="body">{ruling.explanation}</p>
        </div>
      )}
      {item.stage === 'pre_arbitration' && <RulingForm item={item} client={client} session={session} onChanged={onChanged} />}
    </section>
  );
}

function RulingForm({ item, client, session, onChanged }: Props) {
  const { t } = useI18n();
  const [outcome, setOutcome] = useState<Ruling['outcome']>('uphold');
  const [explanation, setExplanation] = useState('');
  const action = useAction(onChanged);
  if (!can(session, 'supervisor')) return <p>{t('rulingSupervisorOnly')}</p>;
  // Whoever decided or confirmed the approval made it, so cannot judge the appeal against it.
  const { decidedBy, confirmedBy } = item.decision ?? {};
  if (decidedBy?.id === session.sub || confirmedBy?.id === session.sub) return <p>{t('rulingOwnDecision')}</p>;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void action.run(() => rule(client, item.id, { outcome, explanation: explanation.trim() }));
  };
  return (
    <form className="action" aria-labelledby="ruling-h" onSubmit={submit}>
      <h3 id="ruling-h">{t('ruleTitle')}</h3>
      <fieldset>
        <legend>{t('rulingOutcome')}</legend>
        {(['uphold', 'reverse'] as const).map((value) => (
          <label key={value} className="inline">
            <input type="radio" name="ruling" value={value} checked={outcome === value} onChange={() => setOutcome(value)} /> {t(value === 'uphold' ? 'rulingUphold' : 'rulingReverse')}
          </label>
        ))}
      </fieldset>
      <label htmlFor="ruling-explanation">{t('explanation')}</label>
      <textarea id="ruling-explanation" rows={3} required maxLength={2000} value={explanation} onChange={(event) => setExplanation(event.target.value)} />
      <button type="submit" className="primary" disabled={action.busy || !explanation.trim()}>{t('submitRuling')}</button>
      <ErrorMessage error={action.error} explain={RULING_PROBLEMS} />
    </form>
  );
}
