import { useEffect, useMemo, useRef, useState } from 'react';
import { browserClient } from './api/recourse';
import { DeskPage } from './desk/DeskPage';
import { useHashRoute } from './lib/hooks';
import { I18nContext, Locale, translator } from './lib/i18n';
import { can, readsRegulatoryReports, readSession, Session, worksCases } from './lib/session';
import { CasePage } from './pages/CasePage';
import { ComplaintStatistics } from './pages/ComplaintStatistics';
import { IncidentPage } from './pages/IncidentPage';
import { Incidents } from './pages/Incidents';
import { MerchantRates } from './pages/MerchantRates';
import { Queue } from './pages/Queue';
import { SignIn } from './pages/SignIn';
import { SlaReport } from './pages/SlaReport';

const TOKEN_KEY = 'recourse.console.token';
const LOCALE_KEY = 'recourse.console.locale';

function restoredSession(): Session | null {
  const stored = sessionStorage.getItem(TOKEN_KEY);
  const session = stored ? readSession(stored) : null;
  return session && typeof session === 'object' ? session : null;
}

export function App() {
  const [locale, setLocale] = useState<Locale>(() => (localStorage.getItem(LOCALE_KEY) === 'zh-CN' ? 'zh-CN' : 'en'));
  // The token lives for the browser tab only: closing it signs out.
  const [session, setSession] = useState<Session | null>(restoredSession);
  const route = useHashRoute();
  const i18n = useMemo(() => ({ locale, ...translator(locale) }), [locale]);
  const client = useMemo(() => (session ? browserClient(session.token) : null), [session]);
  const mainRef = useRef<HTMLElement>(null);
  const { t } = i18n;

  useEffect(() => {
    document.documentElement.lang = locale;
    document.title = t('appName');
    localStorage.setItem(LOCALE_KEY, locale);
  }, [locale, t]);

  // A new page moves focus to its heading, so keyboard and screen-reader users start at the top of it; a
  // page that starts with typing (the desk's caller lookup) marks that field instead.
  useEffect(() => {
    const main = mainRef.current;
    (main?.querySelector<HTMLElement>('[data-autofocus]') ?? main?.querySelector<HTMLElement>('h1'))?.focus();
  }, [route, session]);

  const signIn = (next: Session) => {
    sessionStorage.setItem(TOKEN_KEY, next.token);
    setSession(next);
    if (!worksCases(next)) window.location.hash = '#/desk';
  };
  const signOut = () => {
    sessionStorage.removeItem(TOKEN_KEY);
    setSession(null);
  };

  // A phone agent works the desk only; staff who also take calls have the desk beside the queue.
  const staff = session !== null && worksCases(session);
  const onDesk = session !== null && (!staff || route === '/desk');
  const caseMatch = /^\/cases\/(.+)$/.exec(route);
  const reports = session !== null && readsRegulatoryReports(session);
  const onComplaints = reports && !onDesk && route === '/complaints';
  const onMerchantRates = reports && !onDesk && route === '/merchants';
  // Incidents (CONTRACT §12) are staff's: investigators read them, supervisors also resolve them.
  const incidentMatch = staff && !onDesk ? /^\/incidents\/(.+)$/.exec(route) : null;
  const onIncidents = staff && !onDesk && (route === '/incidents' || incidentMatch !== null);
  let page;
  if (!session || !client) page = <SignIn onSignIn={signIn} />;
  else if (onDesk) page = <DeskPage session={session} />;
  else if (caseMatch) page = <CasePage key={caseMatch[1]} id={decodeURIComponent(caseMatch[1])} client={client} session={session} />;
  else if (incidentMatch) page = <IncidentPage key={incidentMatch[1]} id={decodeURIComponent(incidentMatch[1])} client={client} session={session} />;
  else if (onIncidents) page = <Incidents client={client} />;
  else if (route === '/report') page = <SlaReport client={client} />;
  else if (onComplaints) page = <ComplaintStatistics client={client} />;
  else if (onMerchantRates) page = <MerchantRates client={client} />;
  else page = <Queue client={client} session={session} />;

  return (
    <I18nContext.Provider value={i18n}>
      <a className="skip" href="#main" onClick={(event) => { event.preventDefault(); mainRef.current?.focus(); }}>{t('skipToContent')}</a>
      <header className="bar">
        <span className="brand">{t('appName')}</span>
        {session && (
          <nav aria-label={t('mainNav')}>
            {staff && <a href="#/queue" aria-current={!caseMatch && route !== '/report' && !onComplaints && !onMerchantRates && !onIncidents && !onDesk ? 'page' : undefined}>{t('navQueue')}</a>}
            {staff && <a href="#/incidents" aria-current={onIncidents ? 'page' : undefined}>{t('navIncidents')}</a>}
            {staff && <a href="#/report" aria-current={route === '/report' ? 'page' : undefined}>{t('navReport')}</a>}
            {staff && reports && <a href="#/complaints" aria-current={onComplaints ? 'page' : undefined}>{t('navComplaints')}</a>}
            {staff && reports && <a href="#/merchants" aria-current={onMerchantRates ? 'page' : undefined}>{t('navMerchantRates')}</a>}
            {can(session, 'agent') && <a href="#/desk" aria-current={onDesk ? 'page' : undefined}>{t('navDesk')}</a>}
          </nav>
        )}
        <span className="spacer" />
        {session && <span className="who">{t('signedInAs', { sub: session.sub, roles: session.roles.join(', ') })}</span>}
        {/* The visible name is the other language's own name, so it reads right to the people who need it. */}
        <button type="button" lang={locale === 'en' ? 'zh-CN' : 'en'} title={t('languageLabel')} onClick={() => setLocale(locale === 'en' ? 'zh-CN' : 'en')}>
          {t('language')}
        </button>
        {session && <button type="button" onClick={signOut}>{t('signOut')}</button>}
      </header>
      <main id="main" ref={mainRef} tabIndex={-1}>
        {page}
      </main>
    </I18nContext.Provider>
  );
}
