import { useState } from 'react';
import { RecourseClient } from '@recourse/client';
import { queue as queuePage, QueueFilters, REASONS, STAGES, STATUSES } from '../api/cases-api';
import { Countdown, ErrorMessage, nextDeadline, RiskScore, StatusBadge } from '../components/bits';
import { money, shortId } from '../lib/format';
import { useLoad, useNow } from '../lib/hooks';
import { useI18n } from '../lib/i18n';
import { readPages } from '../lib/pages';
import { Session } from '../lib/session';

const REFRESH_MS = 5000;
/** Cases per page of the API; "show more" adds pages, and the refresh reloads all that are shown. */
const PAGE = 50;

export function Queue({ client, session }: { client: RecourseClient; session: Session }) {
  const { t, label, locale } = useI18n();
  const [filters, setFilters] = useState<QueueFilters>({});
  const [pages, setPages] = useState(1);
  const queue = useLoad(() => readPages((cursor) => queuePage(client, filters, PAGE, cursor), pages), [client, filters.status, filters.reason, filters.stage, filters.assignee, filters.breached, pages], REFRESH_MS);
  const now = useNow();
  const set = (patch: Partial<QueueFilters>) => {
    setFilters((previous) => ({ ...previous, ...patch }));
    setPages(1);
  };
  const cases = queue.data?.data ?? [];

  return (
    <section>
      <h1 tabIndex={-1}>{t('queueTitle')}</h1>
      <form className="filters" aria-label={t('filters')} onSubmit={(event) => event.preventDefault()}>
        <label>
          {t('status')}
          <select value={filters.status ?? ''} onChange={(event) => set({ status: (event.target.value || undefined) as QueueFilters['status'] })}>
            <option value="">{t('any')}</option>
            {STATUSES.map((status) => <option key={status} value={status}>{label(status)}</option>)}
          </select>
        </label>
        <label>
          {t('reason')}
          <select value={filters.reason ?? ''} onChange={(event) => set({ reason: (event.target.value || undefined) as QueueFilters['reason'] })}>
            <option value="">{t('any')}</option>
            {REASONS.map((reason) => <option key={reason} value={reason}>{label(reason)}</option>)}
          </select>
        </label>
        <label>
          {t('stage')}
          <select value={filters.stage ?? ''} onChange={(event) => set({ stage: (event.target.value || undefined) as QueueFilters['stage'] })}>
            <option value="">{t('any')}</option>
            {STAGES.map((stage) => <option key={stage} value={stage}>{label(stage)}</option>)}
          </select>
        </label>
        <label>
          {t('assignee')}
          <input type="text" value={filters.assignee ?? ''} onChange={(event) => set({ assignee: event.target.value.trim() || undefined })} />
        </label>
        <label className="inline">
          <input type="checkbox" checked={filters.assignee === session.sub} onChange={(event) => set({ assignee: event.target.checked ? session.sub : undefined })} />
          {t('mine')}
        </label>
        <label className="inline">
          <input type="checkbox" checked={filters.breached === 'true'} onChange={(event) => set({ breached: event.target.checked ? 'true' : undefined })} />
          {t('breachedOnly')}
        </label>
      </form>
      <p className="meta">
        {/* Announced only when the number changes, not on every refresh. */}
        <span role="status" aria-live="polite">{queue.data ? t('queueCount', { count: cases.length }) : t('loading')}</span>
        {queue.loadedAt && <span> · {t('refreshedAt', { time: queue.loadedAt.toLocaleTimeString(locale) })}</span>}
      </p>
      <ErrorMessage error={queue.error} />
      {queue.data && cases.length === 0 && <p>{t('noCases')}</p>}
      {cases.length > 0 && (
        <table className="queue">
          <caption className="visually-hidden">{t('queueTitle')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('case')}</th>
              <th scope="col">{t('status')}</th>
              <th scope="col">{t('reason')}</th>
              <th scope="col" className="num">{t('amount')}</th>
              <th scope="col">{t('risk')}</th>
              <th scope="col">{t('assignee')}</th>
              <th scope="col">{t('nextDeadline')}</th>
            </tr>
          </thead>
          <tbody>
            {cases.map((item) => (
              <tr key={item.id} data-case-id={item.id}>
                <td><a href={`#/cases/${encodeURIComponent(item.id)}`}>{shortId(item.id)}</a></td>
                <td>
                  <StatusBadge status={item.status} />
                  {item.stage !== 'dispute' && <span className="tag" data-stage={item.stage}>{label(item.stage)}</span>}
                  {item.prevented && <span className="tag">{t('prevented')}</span>}
                  {item.incidentId && <a className="tag incident-tag" href={`#/incidents/${encodeURIComponent(item.incidentId)}`} data-incident-id={item.incidentId}>{t('incidentMarker', { id: shortId(item.incidentId) })}</a>}
                  {item.flags.map((flag) => <span key={flag} className="flag">{label(flag)}</span>)}
                </td>
                <td>{label(item.dispute.reason)}</td>
                <td className="num">{money(item.dispute.amount, item.dispute.currency, locale)}</td>
                <td>
                  <RiskScore score={item.risk.score} />
                  <ul className="signals">{item.risk.signals.map((signal) => <li key={signal.code} title={signal.detail}>{signal.code}</li>)}</ul>
                </td>
                <td>{item.assignee ?? <span className="muted">{t('unassigned')}</span>}</td>
                <td><Countdown deadline={nextDeadline(item.deadlines)} now={now} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {queue.data?.more && <button type="button" onClick={() => setPages((shown) => shown + 1)}>{t('showMore')}</button>}
    </section>
  );
}
