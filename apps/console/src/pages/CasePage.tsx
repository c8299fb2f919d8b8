import type { ReactNode } from 'react';
import { ProblemError, RecourseClient } from '@recourse/client';
import { Case, getCase, packet } from '../api/cases-api';
import { Countdown, ErrorMessage, Fact, RiskScore, StatusBadge } from '../components/bits';
import { CaseActions } from '../components/CaseActions';
import { CompellingEvidence, RelatedCases, RingWarning } from '../components/CaseLinks';
import { Offers, Thread } from '../components/CaseConversation';
import { AuditTrail, Evidence, Notes, Refunds, Timeline } from '../components/CaseRecords';
import { CaseStage } from '../components/CaseStage';
import { DownloadButton } from '../components/DownloadButton';
import { dateTime, money, shortId } from '../lib/format';
import { useLoad, useNow } from '../lib/hooks';
import { useI18n } from '../lib/i18n';
import { paymentDevice } from '../lib/linked-cases';
import { Session } from '../lib/session';

// Other people and other services change a case (evidence, four eyes, the refund): keep it fresh.
const REFRESH_MS = 3000;

export function CasePage({ id, client, session }: { id: string; client: RecourseClient; session: Session }) {
  const { t } = useI18n();
  const loaded = useLoad(() => getCase(client, id), [client, id], REFRESH_MS);
  const item = loaded.data;
  const notFound = loaded.error instanceof ProblemError && loaded.error.status === 404;

  return (
    <article className="case">
      <p><a href="#/queue">← {t('back')}</a></p>
      <h1 tabIndex={-1}>
        {t('case')} {shortId(id)} {item && <StatusBadge status={item.status} />}
      </h1>
      {notFound ? <p role="alert">{t('notFound')}</p> : <ErrorMessage error={loaded.error} />}
      {!item && !loaded.error && <p>{t('loading')}</p>}
      {item && (
        <div className="packet">
          <DownloadButton label={t('downloadPacket')} file={async () => ({ blob: await packet(client, id), fileName: `packet-${id}.pdf` })} explain={{ packet_font_missing: 'packetFontMissing' }} />
        </div>
      )}
      {item && <RingWarning item={item} client={client} />}
      {item && (
        <div className="case-grid">
          <div>
            <Summary item={item} />
            <CaseActions item={item} client={client} session={session} onChanged={loaded.reload} />
            <CaseStage item={item} client={client} session={session} onChanged={loaded.reload} />
            <Thread item={item} client={client} />
            <Offers item={item} />
            <Notes item={item} client={client} onChanged={loaded.reload} />
            <Evidence item={item} client={client} />
          </div>
          <div>
            <Deadlines item={item} />
            <Risk item={item} />
            <RelatedCases item={item} />
            <CompellingEvidence item={item} client={client} session={session} />
            <Refunds id={item.id} client={client} />
            <Timeline id={item.id} client={client} session={session} />
            <AuditTrail id={item.id} client={client} updatedAt={item.updatedAt} />
          </div>
        </div>
      )}
    </article>
  );
}

function Summary({ item }: { item: Case }) {
  const { t, label, locale } = useI18n();
  const { dispute, payment } = item;
  // The payment as the wallet recorded it, with its amount and time made readable.
  const readable = (name: string, value: unknown) =>
    name === 'amount' && typeof value === 'number' ? money(value, dispute.currency, locale)
      : name === 'createdAt' && typeof value === 'string' ? dateTime(value, locale)
        : String(value);
  const rows: Array<[string, ReactNode]> = [
    [t('reason'), label(dispute.reason)],
    [t('amount'), money(dispute.amount, dispute.currency, locale)],
    [t('customer'), dispute.customerId],
    [t('merchant'), String(payment.merchantName ?? dispute.merchantId)],
    [t('channel'), dispute.channel],
    [t('filed'), dateTime(dispute.createdAt, locale)],
    [t('assignee'), item.assignee ?? t('unassigned')],
    [t('flags'), item.flags.length ? item.flags.map(label).join(', ') : '–'],
    [t('stage'), <span key="stage" data-stage={item.stage}>{label(item.stage)}</span>],
    [t('regime'), label(`regime_${item.regime}`)],
  ];
  if (item.prevented) rows.push([t('prevented'), t('preventedBody')]);
  if (item.incidentId) rows.push([t('incident'), <a key="incident" href={`#/incidents/${encodeURIComponent(item.incidentId)}`} data-incident-id={item.incidentId}>{t('incident')} {shortId(item.incidentId)}</a>]);
  const device = paymentDevice(payment);
  return (
    <section aria-labelledby="dispute-h">
      <h2 id="dispute-h">{t('dispute')}</h2>
      <dl className="facts">{rows.map(([name, value]) => <Fact key={name} name={name} value={value} />)}</dl>
      <h3>{t('description')}</h3>
      <p className="body">{dispute.description}</p>
      <h3>{t('payment')}</h3>
      <dl className="facts">
        {Object.entries(payment).filter(([, value]) => typeof value !== 'object').map(([name, value]) => <Fact key={name} name={name} value={readable(name, value)} />)}
        {device?.id && <Fact name={t('deviceId')} value={<code>{device.id}</code>} />}
        {device?.ip && <Fact name={t('deviceIp')} value={<code>{device.ip}</code>} />}
      </dl>
    </section>
  );
}

const DEADLINE_KEYS = ['merchantResponseBy', 'provisionalCreditBy', 'resolutionBy', 'appealBy'] as const;

function Deadlines({ item }: { item: Case }) {
  const { t, locale } = useI18n();
  const now = useNow();
  return (
    <section aria-labelledby="deadlines-h">
      <h2 id="deadlines-h">{t('deadlines')}</h2>
      <dl className="facts">
        {DEADLINE_KEYS.filter((key) => item.deadlines[key]).map((key) => (
          <Fact key={key} name={t(key)} value={<><Countdown deadline={item.deadlines[key] as string} now={now} /> <span className="muted">{dateTime(item.deadlines[key] as string, locale)}</span></>} />
        ))}
      </dl>
    </section>
  );
}

function Risk({ item }: { item: Case }) {
  const { t } = useI18n();
  return (
    <section aria-labelledby="risk-h">
      <h2 id="risk-h">{t('risk')} <RiskScore score={item.risk.score} /></h2>
      <h3 className="visually-hidden">{t('riskSignals')}</h3>
      <ul>{item.risk.signals.map((signal) => <li key={signal.code}><code>{signal.code}</code>: {signal.detail}</li>)}</ul>
    </section>
  );
}
