// What links a case to others (CONTRACT §12): the fraud-ring warning, the related cases by why they are
// linked, and the compelling evidence against an unrecognised charge (earlier undisputed payments from the
// same device or network). The service computes all of it when the case is read.
import { RecourseClient } from '@recourse/client';
import { auditTrail, Case, payment as intakePayment } from '../api/cases-api';
import { dateTime, money, shortId } from '../lib/format';
import { useLoad } from '../lib/hooks';
import { useI18n } from '../lib/i18n';
import { FRAUD_RING_FLAG, relatedByLink, ringCluster, ringWarning } from '../lib/linked-cases';
import { can, Session } from '../lib/session';
import { ErrorMessage } from './bits';

const caseLink = (caseId: string) => `#/cases/${encodeURIComponent(caseId)}`;

/** Shown above everything else on a flagged case: the shared device, the ring's customers and the cases on the device. */
export function RingWarning({ item, client }: { item: Case; client: RecourseClient }) {
  const { t } = useI18n();
  const flagged = item.flags.includes(FRAUD_RING_FLAG);
  // The cluster is in the case's security alert, which the audit trail keeps; read again when the case changes.
  const trail = useLoad(() => (flagged ? auditTrail(client, item.id) : Promise.resolve(null)), [client, item.id, flagged, item.updatedAt]);
  const ring = ringWarning(item, trail.data ? ringCluster(trail.data.data) : null);
  if (!ring) return null;
  return (
    <section className="warning" aria-labelledby="ring-h" data-fraud-ring>
      <h2 id="ring-h">⚠ {t('ringTitle')}</h2>
      <p>{ring.deviceId ? t('ringBody', { device: ring.deviceId }) : t('ringBodyNoDevice')}</p>
      {ring.customerIds.length > 0 && (
        <>
          <p>{t('ringCustomers', { count: ring.customerIds.length })}</p>
          <ul className="inline-list" data-ring-customers>
            {ring.customerIds.map((customerId) => <li key={customerId}><code>{customerId}</code></li>)}
          </ul>
        </>
      )}
      {ring.caseIds.length > 0 && (
        <>
          <p>{t('ringCases', { count: ring.caseIds.length })}</p>
          <ul className="inline-list">
            {ring.caseIds.map((caseId) => <li key={caseId}><a href={caseLink(caseId)}>{t('case')} {shortId(caseId)}</a></li>)}
          </ul>
        </>
      )}
      <ErrorMessage error={trail.error} />
    </section>
  );
}

export function RelatedCases({ item }: { item: Case }) {
  const { t, label } = useI18n();
  const groups = relatedByLink(item.related);
  return (
    <section aria-labelledby="related-h">
      <h2 id="related-h">{t('relatedCases')}</h2>
      {groups.length === 0 ? <p className="muted">{t('noRelatedCases')}</p> : groups.map(({ link, caseIds }) => (
        <div key={link} data-link={link}>
          <h3 id={`related-${link}-h`}>{label(`link_${link}`)}</h3>
          <ul aria-labelledby={`related-${link}-h`}>
            {caseIds.map((caseId) => <li key={caseId} data-related-case={caseId}><a href={caseLink(caseId)}>{t('case')} {shortId(caseId)}</a></li>)}
          </ul>
        </div>
      ))}
    </section>
  );
}

/**
 * For an unrecognised charge: the customer's earlier payments to the merchant from the same device or network
 * that were never disputed. Staff who are also agents may read intake's payments, so they see each one's
 * amount and time; others see the payment ids.
 */
export function CompellingEvidence({ item, client, session }: { item: Case; client: RecourseClient; session: Session }) {
  const { t, locale } = useI18n();
  const ids = item.priorUndisputedPayments;
  const readable = can(session, 'agent') && ids.length > 0;
  const details = useLoad(() => (readable ? Promise.all(ids.map((id) => intakePayment(client, id))) : Promise.resolve(null)), [client, readable, ids.join(',')]);
  if (item.dispute.reason !== 'unrecognized_charge') return null;
  const byId = new Map((details.data ?? []).map((payment) => [payment.id, payment]));
  return (
    <section aria-labelledby="compelling-h">
      <h2 id="compelling-h">{t('compellingEvidence')}</h2>
      <p className="hint">{t('compellingEvidenceHint')}</p>
      {ids.length === 0 ? <p className="muted">{t('noPriorPayments')}</p> : (
        <>
          <p>{t('priorPayments', { count: ids.length })}</p>
          <ul className="records">
            {ids.map((id) => {
              const found = byId.get(id);
              return (
                <li key={id} data-prior-payment={id}>
                  <code>{id}</code>
                  {found && <> · {money(found.amount, found.currency, locale)} · {dateTime(found.createdAt, locale)}</>}
                </li>
              );
            })}
          </ul>
          <ErrorMessage error={details.error} />
        </>
      )}
    </section>
  );
}
