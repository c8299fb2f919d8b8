// The new dispute as the customer sees it in the app: intake's timeline, in the dispute's language,
// refreshed so the call record appears once investigation shares it.
import { RecourseClient } from '@recourse/client';
import { forwardRef } from 'react';
import { ErrorMessage, StatusBadge } from '../components/bits';
import { dateTime } from '../lib/format';
import { useLoad } from '../lib/hooks';
import { useI18n } from '../lib/i18n';
import { getDispute } from './desk-api';

const REFRESH_MS = 2000;

export const CustomerTimeline = forwardRef<HTMLHeadingElement, { client: RecourseClient; disputeId: string }>(function CustomerTimeline({ client, disputeId }, heading) {
  const { t, label, locale } = useI18n();
  const dispute = useLoad(() => getDispute(client, disputeId), [client, disputeId], REFRESH_MS);
  const item = dispute.data;
  return (
    <section aria-labelledby="timeline-h">
      <h2 id="timeline-h" ref={heading} tabIndex={-1}>{t('timeline')} {item && <StatusBadge status={item.status} />}</h2>
      <ErrorMessage error={dispute.error} />
      {!item && !dispute.error && <p>{t('loading')}</p>}
      {item && (
        <>
          <p className="meta">{item.id} · {t('channel')}: <span data-channel={item.channel}>{label(item.channel)}</span></p>
          {/* New entries are read out as they arrive. */}
          <ol className="records timeline" aria-live="polite">
            {item.timeline.map((entry, index) => (
              <li key={`${entry.at}-${index}`} data-type={entry.type}>
                <p className="meta"><time dateTime={entry.at}>{dateTime(entry.at, locale)}</time></p>
                <p className="body" lang={item.locale}>{entry.message}</p>
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
});
