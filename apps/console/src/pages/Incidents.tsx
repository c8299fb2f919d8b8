import { useState } from 'react';
import { RecourseClient } from '@recourse/client';
import { IncidentFilters, incidents as incidentPage, INCIDENT_STATUSES } from '../api/incidents-api';
import { ErrorMessage, IncidentBadge } from '../components/bits';
import { dateTime, shortId } from '../lib/format';
import { useLoad } from '../lib/hooks';
import { useI18n } from '../lib/i18n';
import { readPages } from '../lib/pages';

const REFRESH_MS = 5000;
/** Incidents per page of the API; "show more" adds pages, and the refresh reloads all that are shown. */
const PAGE = 20;

/**
 * Mass incidents (CONTRACT §12) for investigators and supervisors: many undecided cases of one merchant and
 * reason at once, newest first, each leading to its cases and (for supervisors) its resolution.
 */
export function Incidents({ client }: { client: RecourseClient }) {
  const { t, label, locale } = useI18n();
  const [filters, setFilters] = useState<IncidentFilters>({});
  const [pages, setPages] = useState(1);
  // The pages shown are read again from the first, as the queue does, so a change of filter never mixes lists.
  const list = useLoad(() => readPages((cursor) => incidentPage(client, filters, PAGE, cursor), pages),
    [client, filters.status, filters.merchantId, pages], REFRESH_MS);
  const set = (patch: Partial<IncidentFilters>) => {
    setFilters((previous) => ({ ...previous, ...patch }));
    setPages(1);
  };
  const shown = list.data?.data ?? [];

  return (
    <section>
      <h1 tabIndex={-1}>{t('incidentsTitle')}</h1>
      <p className="hint">{t('incidentsIntro')}</p>
      <form className="filters" aria-label={t('filters')} onSubmit={(event) => event.preventDefault()}>
        <label>
          {t('status')}
          <select value={filters.status ?? ''} onChange={(event) => set({ status: (event.target.value || undefined) as IncidentFilters['status'] })}>
            <option value="">{t('any')}</option>
            {INCIDENT_STATUSES.map((status) => <option key={status} value={status}>{label(`incident_${status}`)}</option>)}
          </select>
        </label>
        <label>
          {t('merchant')}
          <input type="text" value={filters.merchantId ?? ''} onChange={(event) => set({ merchantId: event.target.value.trim() || undefined })} />
        </label>
      </form>
      <p className="meta">
        <span role="status" aria-live="polite">{list.data ? t('incidentsCount', { count: shown.length }) : t('loading')}</span>
        {list.loadedAt && <span> · {t('refreshedAt', { time: list.loadedAt.toLocaleTimeString(locale) })}</span>}
      </p>
      <ErrorMessage error={list.error} />
      {list.data && shown.length === 0 && <p>{t('noIncidents')}</p>}
      {shown.length > 0 && (
        <table className="incidents">
          <caption className="visually-hidden">{t('incidentsTitle')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('incident')}</th>
              <th scope="col">{t('status')}</th>
              <th scope="col">{t('merchant')}</th>
              <th scope="col">{t('reason')}</th>
              <th scope="col" className="num">{t('incidentCases')}</th>
              <th scope="col">{t('incidentOpened')}</th>
              <th scope="col">{t('incidentResolved')}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((incident) => (
              <tr key={incident.id} data-incident-id={incident.id}>
                <td><a href={`#/incidents/${encodeURIComponent(incident.id)}`}>{shortId(incident.id)}</a></td>
                <td><IncidentBadge status={incident.status} /></td>
                <td><code>{incident.merchantId}</code></td>
                <td>{label(incident.reason)}</td>
                <td className="num" data-case-count={incident.caseCount}>{incident.caseCount}</td>
                <td>{dateTime(incident.openedAt, locale)}</td>
                <td>{incident.resolvedAt ? dateTime(incident.resolvedAt, locale) : <span className="muted">–</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {list.data?.more && <button type="button" onClick={() => setPages((count) => count + 1)}>{t('showMoreIncidents')}</button>}
    </section>
  );
}
