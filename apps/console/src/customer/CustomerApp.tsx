// The customer's dispute page: a wallet app opens it in a webview with the customer's token. Phone first,
// Chinese unless asked otherwise; routes live in the fragment (#/payments, #/disputes/<id>, #/inbox).
import { useEffect, useMemo, useRef, useState } from 'react';
import { browserClient } from '../api/recourse';
import { useHashRoute } from '../lib/hooks';
import { Customer, CustomerContext } from './context';
import { chooseLocale, Locale, Words, wordsFor } from './i18n';
import { DisputeForm } from './pages/DisputeForm';
import { DisputePage } from './pages/DisputePage';
import { Disputes } from './pages/Disputes';
import { Inbox } from './pages/Inbox';
import { PaymentPage } from './pages/PaymentPage';
import { Payments } from './pages/Payments';
import type { CustomerSession, SessionProblem } from './session';

export function CustomerApp({ session }: { session: CustomerSession | SessionProblem }) {
  const signedIn = typeof session === 'object' ? session : null;
  const [locale, setLocale] = useState<Locale>(() => chooseLocale(new URLSearchParams(window.location.search).get('lang'), signedIn?.locale));
  const route = useHashRoute('/payments');
  const words = useMemo(() => wordsFor(locale), [locale]);
  const customer = useMemo<Customer | null>(() => (signedIn ? { client: browserClient(signedIn.token), locale, ...words } : null), [signedIn, locale, words]);
  const { t } = words;
  const mainRef = useRef<HTMLElement>(null);
  const other: Locale = locale === 'zh-CN' ? 'en' : 'zh-CN';

  useEffect(() => {
    document.documentElement.lang = locale;
    document.title = t('appTitle');
  }, [locale, t]);

  // A new page moves focus to its heading, so keyboard and screen-reader users start at its top.
  useEffect(() => {
    mainRef.current?.querySelector<HTMLElement>('h1')?.focus();
  }, [route]);

  const switchLanguage = () => {
    setLocale(other);
    // Kept in the URL, so reopening the page (or a reload) keeps the customer's choice.
    const url = new URL(window.location.href);
    url.searchParams.set('lang', other);
    window.history.replaceState(null, '', url);
  };

  const [section, id, action] = route.split('/').filter(Boolean).map(decodeURIComponent);
  let page;
  if (!customer) page = <Gate problem={session as SessionProblem} t={t} />;
  else if (section === 'payments' && id && action === 'dispute') page = <DisputeForm key={id} paymentId={id} />;
  else if (section === 'payments' && id) page = <PaymentPage key={id} id={id} />;
  else if (section === 'disputes' && id) page = <DisputePage key={id} id={id} />;
  else if (section === 'disputes') page = <Disputes />;
  else if (section === 'inbox') page = <Inbox />;
  else page = <Payments />;
  const current = (name: string) => (section === name || (name === 'payments' && !['disputes', 'inbox'].includes(section)) ? 'page' : undefined);

  return (
    <CustomerContext.Provider value={customer}>
      <a className="skip" href="#main" onClick={(event) => { event.preventDefault(); mainRef.current?.querySelector<HTMLElement>('h1')?.focus(); }}>
        {t('skipToContent')}
      </a>
      <header className="bar">
        <span className="brand">{t('appTitle')}</span>
        {/* Named in the other language, so the people who need it can read it. */}
        <button type="button" className="language" lang={other} title={t('languageHint')} onClick={switchLanguage}>
          {t('language')}
        </button>
        {customer && (
          <nav aria-label={t('mainNav')}>
            <a href="#/payments" aria-current={current('payments')}>{t('navPayments')}</a>
            <a href="#/disputes" aria-current={current('disputes')}>{t('navDisputes')}</a>
            <a href="#/inbox" aria-current={current('inbox')}>{t('navInbox')}</a>
          </nav>
        )}
      </header>
      <main id="main" ref={mainRef}>
        {page}
      </main>
    </CustomerContext.Provider>
  );
}

/** Without a usable token there is nothing to show but how to get one. */
function Gate({ problem, t }: { problem: SessionProblem; t: Words['t'] }) {
  const why = { missing: t('gateMissing'), invalid: t('gateInvalid'), expired: t('gateExpired') }[problem];
  return (
    <section className="gate" data-problem={problem}>
      <h1 tabIndex={-1}>{t('gateTitle')}</h1>
      <p>{why}</p>
    </section>
  );
}
