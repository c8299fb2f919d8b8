import { ReactNode, useEffect, useState } from 'react';
import { ProblemError, RecourseClient } from '@recourse/client';
import { CaseSummary } from '../api/cases-api';
import { getIncident, Incident, incidentCases } from '../api/incidents-api';
import { ErrorMessage, Fact, IncidentBadge, StatusBadge } from '../components/bits';
import { ResolveIncidentForm } from '../components/ResolveIncidentForm';
import { dateTime, money, shortId } from '../lib/format';
import { useLoad } from '../lib/hooks';
import { useI18n } from '../lib/i18n';
import { Standing, standing } from '../lib/incidents';
import { readPages } from '../lib/pages';
import { can, Session } from '../lib/session';

// A resolution runs in chunks and other people decide the incident's cases one by one: keep both fresh.
const REFRESH_MS = 5000;
/**
 * Cases per page of the table; "show more" adds pages, and the refresh reloads only the pages shown. An incident
 * may group thousands of cases: the counts come from the incident itself, never from reading them all.
 */
const CASES_PAGE = 50;

/** One incident (CONTRACT §12): what it groups and how its cases stand, its cases page by page, its resolution; supervisors resolve it. */
export function IncidentPage({ id, client, session }: { id: string; client: RecourseClient; session: Session }) {
  const { t } = useI18n();
  const [pages, setPages] = useState(1);
  useEffect(() => setPages(1), [id]);
  const loaded = useLoad(() => getIncident(client, id), [client, id], REFRESH_MS);
  const cases = useLoad(() => readPages((cursor) => incidentCases(client, id, CASES_PAGE, cursor), pages), [client, id, pages], REFRESH_MS);
  const incident = loaded.data;
  const notFound = loaded.error instanceof ProblemError && loaded.error.status === 404;
  const reload = async () => {
    await Promise.all([loaded.reload(), cases.reload()]);
  };

  return (
    <article className="incident">
      <p><a href="#/incidents">← {t('backToIncidents')}</a></p>
      <h1 tabIndex={-1}>
        {t('incident')} {shortId(id)} {incident && <IncidentBadge status={incident.status} />}
      </h1>
      {notFound ? <p role="alert">{t('incidentNotFound')}</p> : <ErrorMessage error={loaded.error} />}
      {!incident && !loaded.error && <p>{t('loading')}</p>}
      {incident && (
        <div className="case-grid">
          <div>
            <Facts incident={incident} />
            <ErrorMessage error={cases.error} />
            {cases.data ? (
              <IncidentCases incident={incident} cases={cases.data.data} more={cases.data.more} onMore={() => setPages((count) => count + 1)} />
            ) : !cases.error && <p>{t('loading')}</p>}
          </div>
          <div>
            {incident.resolution && <Resolution incident={incident} />}
            {can(session, 'supervisor') && <ResolveIncidentForm incident={incident} client={client} onChanged={reload} />}
          </div>
        </div>
      )}
    </article>
  );
}

/** How many of the incident's cases stand where, as the service counts them (each case in exactly one). */
const STANDINGS: { standing: Standing; count: (counts: Incident['counts']) => number }[] = [
  { standing: 'undecided', count: (counts) => counts.undecided },
  { standing: 'four_eyes', count: (counts) => counts.heldForFourEyes },
  { standing: 'decided', count: (counts) => counts.decided },
];

function Facts({ incident }: { incident: Incident }) {
  const { t, label, locale } = useI18n();
  const rows: Array<[string, ReactNode]> = [
    [t('merchant'), <code key="merchant">{incident.merchantId}</code>],
    [t('reason'), label(incident.reason)],
    [t('incidentCases'), incident.caseCount],
    ...STANDINGS.map(({ standing: which, count }): [string, ReactNode] => [
      label(`standing_${which}`), <span key={which} data-count={which}>{count(incident.counts)}</span>,
    ]),
    [t('incidentOpened'), dateTime(incident.openedAt, locale)],
    [t('incidentResolved'), incident.resolvedAt ? dateTime(incident.resolvedAt, locale) : '–'],
    [t('incidentJoining'), incident.accepting ? t('incidentAccepting') : t('incidentClosed')],
  ];
  return (
    <section aria-labelledby="incident-h">
      <h2 id="incident-h">{t('incidentFacts')}</h2>
      <dl className="facts">{rows.map(([name, value]) => <Fact key={name} name={name} value={value} />)}</dl>
    </section>
  );
}

function IncidentCases({ incident, cases, more, onMore }: { incident: Incident; cases: CaseSummary[]; more: boolean; onMore: () => void }) {
  const { t, label, locale } = useI18n();
  return (
    <section aria-labelledby="incident-cases-h">
      <h2 id="incident-cases-h">{t('incidentCasesTitle')}</h2>
      <p className="meta" data-cases-shown={cases.length}>{t('incidentCasesShown', { shown: cases.length, count: incident.caseCount })}</p>
      <table className="incident-cases">
        <caption className="visually-hidden">{t('incidentCasesTitle')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('case')}</th>
            <th scope="col">{t('status')}</th>
            <th scope="col">{t('incidentStanding')}</th>
            <th scope="col" className="num">{t('amount')}</th>
            <th scope="col">{t('customer')}</th>
            <th scope="col">{t('filed')}</th>
          </tr>
        </thead>
        <tbody>
          {cases.map((item) => (
            <tr key={item.id} data-case-id={item.id} data-standing={standing(item)}>
              <td><a href={`#/cases/${encodeURIComponent(item.id)}`}>{shortId(item.id)}</a></td>
              <td><StatusBadge status={item.status} /></td>
              <td>{label(`standing_${standing(item)}`)}</td>
              <td className="num">{money(item.dispute.amount, item.dispute.currency, locale)}</td>
              <td><code>{item.dispute.customerId}</code></td>
              <td>{dateTime(item.dispute.createdAt, locale)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {more && <button type="button" onClick={onMore}>{t('showMore')}</button>}
    </section>
  );
}

/** The resolution a supervisor requested, and what it did: cases decided, approvals held for four eyes. */
function Resolution({ incident }: { incident: Incident }) {
  const { t, label, locale } = useI18n();
  const resolution = incident.resolution as NonNullable<Incident['resolution']>;
  const rows: Array<[string, ReactNode]> = [
    [t('outcome'), label(resolution.outcome)],
    [t('reasonCode'), <code key="code">{resolution.reasonCode}</code>],
    [t('explanation'), resolution.explanation],
    [t('liability'), resolution.liability ? label(`liability_${resolution.liability}`) : t('liabilityUsual')],
    [t('requestedBy'), `${resolution.requestedBy.type}:${resolution.requestedBy.id}`],
    [t('requestedAt'), dateTime(resolution.requestedAt, locale)],
    [t('decidedCount'), <span key="decided" data-decided-count={resolution.decidedCount}>{resolution.decidedCount}</span>],
  ];
  return (
    <section aria-labelledby="resolution-h" className="decided">
      <h2 id="resolution-h">{t('resolution')}</h2>
      <dl className="facts">{rows.map(([name, value]) => <Fact key={name} name={name} value={value} />)}</dl>
      <h3>{t('heldForFourEyes')}</h3>
      {resolution.heldForFourEyes.length === 0 ? <p className="muted">{t('noneHeld')}</p> : (
        <>
          <p className="hint">{t('heldForFourEyesHint')}</p>
          <ul data-held>
            {resolution.heldForFourEyes.map((caseId) => <li key={caseId}><a href={`#/cases/${encodeURIComponent(caseId)}`}>{t('case')} {shortId(caseId)}</a></li>)}
          </ul>
        </>
      )}
    </section>
  );
}
