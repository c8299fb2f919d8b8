// One dispute as its customer follows it: status, what happens next, the merchant's offers, deadlines,
// timeline, the conversation, the files sent, and what the customer can do now. It refreshes itself, so a
// decision, an offer or a confirmed withdrawal shows up unasked.
import { useRef } from 'react';
import { ok } from '@recourse/client';
import { fileSize, money } from '../../lib/format';
import { useLoad } from '../../lib/hooks';
import { Fact, ProblemNotice, SkeletonRows, StatusBadge, When } from '../components/bits';
import { Dispute, Payment, useCustomer } from '../context';
import type { NextStepKey } from '../i18n';
import { canAppeal, DisputeActions, UNDECIDED } from './DisputeActions';
import { DisputeOffers } from './DisputeOffers';
import { DisputeThread, ThreadEntry } from './DisputeThread';

const REFRESH_MS = 5000;

export function DisputePage({ id }: { id: string }) {
  const { client, locale, t } = useCustomer();
  // The payment never changes: fetched once for its merchant's name, not on every refresh.
  const payment = useRef<Payment | undefined>(undefined);
  const loaded = useLoad(async () => {
    const dispute = await ok(client.intake.GET('/v1/disputes/{id}', { params: { path: { id }, query: { locale } } }));
    // Fetched with the dispute, so the page draws once and nothing moves when the conversation arrives.
    const [thread, paid] = await Promise.all([
      ok(client.intake.GET('/v1/disputes/{id}/thread', { params: { path: { id } } })),
      payment.current ?? ok(client.intake.GET('/v1/payments/{id}', { params: { path: { id: dispute.paymentId }, query: { locale } } })),
    ]);
    payment.current = paid;
    return { dispute, payment: paid, thread: thread.data };
  }, [client, id, locale], REFRESH_MS);
  return (
    <section>
      <a className="back" href="#/disputes">{t('disputesTitle')}</a>
      <h1 tabIndex={-1}>{t('disputeTitle')}</h1>
      <ProblemNotice error={loaded.error} />
      {loaded.data ? (
        <DisputeDetails dispute={loaded.data.dispute} payment={loaded.data.payment} thread={loaded.data.thread} onChange={loaded.reload} />
      ) : (
        !loaded.error && <SkeletonRows rows={2} className="card-skeleton" />
      )}
    </section>
  );
}

interface Details {
  dispute: Dispute;
  payment: Payment;
  thread: ThreadEntry[];
  onChange: () => Promise<void>;
}

function DisputeDetails({ dispute, payment, thread, onChange }: Details) {
  const { locale, t, label } = useCustomer();
  const { deadlines } = dispute;
  const open = UNDECIDED.includes(dispute.status);
  return (
    <>
      <div className="card">
        <p className="row-line">
          <span className="row-title">{t('disputeSummary', { merchant: payment.merchantName ?? payment.merchantId, amount: money(dispute.amount, dispute.currency, locale) })}</span>
        </p>
        {/* A live region: a status that changes while the customer reads is announced. */}
        <p role="status" className="status-line">{t('status')}: <StatusBadge status={dispute.status} /></p>
        <dl className="facts">
          <Fact term={t('reason')}>{label(dispute.reason)}</Fact>
          <Fact term={t('filed')}><When iso={dispute.createdAt} /></Fact>
          {dispute.refundedAmount > 0 && <Fact term={t('refunded')}>{money(dispute.refundedAmount, dispute.currency, locale)}</Fact>}
          <Fact term={t('yourDescription')}>{dispute.description}</Fact>
        </dl>
      </div>

      <section className="card next-step" aria-labelledby="next-step">
        <h2 id="next-step">{t('nextStepTitle')}</h2>
        <NextStep dispute={dispute} />
      </section>

      <DisputeOffers dispute={dispute} onChange={onChange} />

      {(open || dispute.status === 'rejected') && (
        <section aria-labelledby="deadlines">
          <h2 id="deadlines">{t('deadlinesTitle')}</h2>
          <dl className="facts card">
            {open && deadlines.merchantResponseBy && <Fact term={t('merchantResponseBy')}><When iso={deadlines.merchantResponseBy} /></Fact>}
            {open && deadlines.provisionalCreditBy && <Fact term={t('provisionalCreditBy')}><When iso={deadlines.provisionalCreditBy} /></Fact>}
            {open && <Fact term={t('resolutionBy')}><When iso={deadlines.resolutionBy} /></Fact>}
            {deadlines.appealBy && <Fact term={t('appealBy')}><When iso={deadlines.appealBy} /></Fact>}
          </dl>
        </section>
      )}

      <section aria-labelledby="timeline">
        <h2 id="timeline">{t('timelineTitle')}</h2>
        <ol className="timeline">
          {dispute.timeline.map((entry, index) => (
            <li key={`${entry.at}-${index}`} data-type={entry.type}>
              <When iso={entry.at} />
              <span>{entry.message}</span>
            </li>
          ))}
        </ol>
      </section>

      <DisputeThread thread={thread} />

      {dispute.attachments.length > 0 && (
        <section aria-labelledby="files">
          <h2 id="files">{t('filesTitle')}</h2>
          <ul className="chosen">
            {dispute.attachments.map((file) => (
              <li key={file.sha256 + file.fileName} data-file={file.fileName}>
                <span className="file-icon" aria-hidden="true">{file.contentType === 'application/pdf' ? 'PDF' : 'IMG'}</span>
                <span className="file-name">{file.fileName}</span>
                <span className="file-size">{fileSize(file.size, locale)}</span>
              </li>
            ))}
          </ul>
        </section>
      )}

      <DisputeActions dispute={dispute} onChange={onChange} />
    </>
  );
}

/**
 * What happens next, worded from the status and deadlines the dispute already carries. CONTRACT §11 adds the
 * dispute's own `nextStep` (`{ owner, action, by }`); when intake serves it, this reads that instead.
 */
function NextStep({ dispute }: { dispute: Dispute }) {
  const { locale, nextStep } = useCustomer();
  const { deadlines } = dispute;
  const at = (iso?: string) => (iso ? new Intl.DateTimeFormat(locale, { dateStyle: 'long' }).format(new Date(iso)) : '');
  let key: NextStepKey = dispute.status;
  if (dispute.withdrawal?.status === 'requested') key = 'withdrawalRequested';
  else if (dispute.status === 'rejected' && !canAppeal(dispute)) key = 'rejectedFinal';
  return (
    <p data-next-step={key}>
      {nextStep(key, { resolutionBy: at(deadlines.resolutionBy), merchantResponseBy: at(deadlines.merchantResponseBy), appealBy: at(deadlines.appealBy) })}
    </p>
  );
}
