// The phone agent's desk (issue 17), keyboard first because the agent is on a call: find the caller, pick
// the payment they describe, read them why it failed in their language, check who they are, file for them,
// write down what was said (shared into their timeline if it should be), and see what the customer sees.
// The order of the controls is the order of the call.
import { RecourseClient } from '@recourse/client';
import { useEffect, useMemo, useRef, useState } from 'react';
import { browserClient } from '../api/recourse';
import { ErrorMessage } from '../components/bits';
import { useLoad } from '../lib/hooks';
import { LANGUAGE_NAMES, Locale, useI18n } from '../lib/i18n';
import { Session } from '../lib/session';
import { CallerDisputes } from './CallerDisputes';
import { CallerLookup } from './CallerLookup';
import { CallerPayments } from './CallerPayments';
import { CallRecord } from './CallRecord';
import { CustomerTimeline } from './CustomerTimeline';
import { Dispute, getPayment, Payment } from './desk-api';
import { FilingForm } from './FilingForm';
import { PaymentDetails } from './PaymentDetails';

export function DeskPage({ session }: { session: Session }) {
  const { t } = useI18n();
  const client = useMemo(() => browserClient(session.token), [session.token]);
  // Each call starts from nothing: a new key remounts the whole call.
  const [call, setCall] = useState(0);
  return (
    <section className="desk">
      <h1 tabIndex={-1}>{t('deskTitle')}</h1>
      <p className="hint">{t('deskKeys')}</p>
      <Call key={call} client={client} onNextCaller={() => setCall((count) => count + 1)} />
    </section>
  );
}

function Call({ client, onNextCaller }: { client: RecourseClient; onNextCaller: () => void }) {
  const { t, locale } = useI18n();
  const [customerId, setCustomerId] = useState<string | null>(null);
  const [paymentId, setPaymentId] = useState<string | null>(null);
  const [callerLocale, setCallerLocale] = useState<Locale>(locale);
  const [filed, setFiled] = useState<Dispute | null>(null);
  const timelineHeading = useRef<HTMLHeadingElement>(null);
  const payment = useShownPayment(client, paymentId, callerLocale);

  const find = (id: string) => {
    setCustomerId(id);
    setPaymentId(null);
    setFiled(null);
  };

  return (
    <>
      <CallerLookup onFind={find} />
      {customerId && (
        <div className="desk-grid">
          <div>
            <CallerPayments key={customerId} client={client} customerId={customerId} chosenId={paymentId} locked={filed !== null} onChoose={(chosen) => setPaymentId(chosen.id)} />
            <ErrorMessage error={payment.error} />
            {payment.shown && (
              <PaymentDetails key={payment.shown.payment.id} payment={payment.shown.payment} shownLocale={payment.shown.locale} callerLocale={callerLocale} onCallerLocale={setCallerLocale} />
            )}
            {payment.shown && !filed && !payment.shown.payment.disputeId && (
              <FilingForm key={payment.shown.payment.id} client={client} customerId={customerId} payment={payment.shown.payment} callerLocale={callerLocale} onFiled={setFiled} />
            )}
            {filed && (
              <>
                <p className="ok" role="status">{t('filedDispute', { id: filed.id, language: LANGUAGE_NAMES[filed.locale as Locale] ?? filed.locale })}</p>
                <CallRecord client={client} disputeId={filed.id} onSaved={() => timelineHeading.current?.focus()} />
                <CustomerTimeline ref={timelineHeading} client={client} disputeId={filed.id} />
                <button type="button" onClick={onNextCaller}>{t('nextCaller')}</button>
              </>
            )}
          </div>
          <CallerDisputes client={client} customerId={customerId} filedId={filed?.id ?? null} />
        </div>
      )}
    </>
  );
}

/**
 * The chosen payment read in the caller's language. While another language loads, the one on screen
 * stays (the language switch being pressed must not vanish under the agent's fingers).
 */
function useShownPayment(client: RecourseClient, paymentId: string | null, callerLocale: Locale) {
  const loaded = useLoad(
    async () => (paymentId ? { payment: await getPayment(client, paymentId, callerLocale), locale: callerLocale } : null),
    [client, paymentId, callerLocale],
  );
  const [kept, setKept] = useState<{ payment: Payment; locale: Locale } | null>(null);
  useEffect(() => {
    if (loaded.data !== undefined) setKept(loaded.data);
  }, [loaded.data]);
  const current = loaded.data ?? (kept?.payment.id === paymentId ? kept : null);
  return { shown: current, error: loaded.error };
}
