// The conversation on a case and the merchant's offers (CONTRACT §10). Investigators read every message,
// so each one says who could read it: the platform only, or the customer and the merchant too.
import { RecourseClient } from '@recourse/client';
import { Case, Offer } from '../api/cases-api';
import { dateTime, money } from '../lib/format';
import { useI18n } from '../lib/i18n';
import { AttachmentItem } from './AttachmentItem';
import { StatusBadge } from './bits';

export function Thread({ item, client }: { item: Case; client: RecourseClient }) {
  const { t, label, locale } = useI18n();
  return (
    <section aria-labelledby="thread-h">
      <h2 id="thread-h">{t('thread')}</h2>
      {item.thread.length === 0 ? <p className="muted">{t('noThread')}</p> : (
        <ol className="records thread">
          {item.thread.map((entry) => (
            <li key={entry.id} data-thread-entry={entry.id} data-from={entry.from} data-visibility={entry.visibility}>
              <p className="meta">
                <strong>{label(`from_${entry.from}`)}</strong> · {dateTime(entry.at, locale)} ·{' '}
                <span className={`badge visibility-${entry.visibility}`}>{t(entry.visibility === 'all' ? 'visibilityAll' : 'visibilityPlatform')}</span>
              </p>
              <p className="body">{entry.body}</p>
              {entry.attachments.length > 0 && (
                <ul className="attachments">
                  {/* Investigation keeps the merchant's files; a customer's stay in intake and are known here by digest only. */}
                  {entry.attachments.map((file) => <AttachmentItem key={file.sha256} caseId={item.id} file={file} client={client} previewable={entry.from === 'merchant'} />)}
                </ul>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

export function Offers({ item }: { item: Case }) {
  const { t } = useI18n();
  return (
    <section aria-labelledby="offers-h">
      <h2 id="offers-h">{t('offers')}</h2>
      {item.offers.length === 0 ? <p className="muted">{t('noOffers')}</p> : (
        <ol className="records">
          {item.offers.map((offer) => <OfferItem key={offer.id} offer={offer} />)}
        </ol>
      )}
    </section>
  );
}

function OfferItem({ offer }: { offer: Offer }) {
  const { t, label, locale } = useI18n();
  return (
    <li data-offer-id={offer.id} data-offer-status={offer.status}>
      <p className="meta">
        <strong>{label(offer.kind)}</strong>
        {offer.amount !== null && <> · {money(offer.amount, offer.currency, locale)}</>} · <StatusBadge status={offer.status} />
      </p>
      <p className="body">{offer.message}</p>
      <p className="meta">
        {t('offeredAt', { time: dateTime(offer.createdAt, locale) })}
        {offer.status === 'open' && <> · {t('offerExpiresAt', { time: dateTime(offer.expiresAt, locale) })}</>}
      </p>
    </li>
  );
}
