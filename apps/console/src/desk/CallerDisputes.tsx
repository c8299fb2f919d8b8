// The caller's disputes, so the agent sees what is already open before filing another.
import { RecourseClient } from '@recourse/client';
import { ErrorMessage, StatusBadge } from '../components/bits';
import { dateTime, money, shortId } from '../lib/format';
import { useLoad } from '../lib/hooks';
import { useI18n } from '../lib/i18n';
import { callerDisputes } from './desk-api';

// Investigation and refund move the caller's disputes along while the call goes on.
const REFRESH_MS = 5000;

/** `filedId` changes when this call files one, which reloads the list at once. */
export function CallerDisputes({ client, customerId, filedId }: { client: RecourseClient; customerId: string; filedId: string | null }) {
  const { t, label, locale } = useI18n();
  const disputes = useLoad(() => callerDisputes(client, customerId), [client, customerId, filedId], REFRESH_MS);
  const shown = disputes.data?.data ?? [];
  return (
    <section aria-labelledby="caller-disputes-h" className="desk-aside">
      <h2 id="caller-disputes-h">{t('callerDisputes')}</h2>
      <ErrorMessage error={disputes.error} />
      {!disputes.data && !disputes.error && <p>{t('loading')}</p>}
      {disputes.data && shown.length === 0 && <p className="muted">{t('noDisputes')}</p>}
      <ul className="records">
        {shown.map((dispute) => (
          <li key={dispute.id} data-dispute-id={dispute.id}>
            <p><StatusBadge status={dispute.status} /> {label(dispute.reason)} · {money(dispute.amount, dispute.currency, locale)}</p>
            <p className="meta">{dateTime(dispute.createdAt, locale)} · {label(dispute.channel)} · <code>{shortId(dispute.id)}</code></p>
          </li>
        ))}
      </ul>
    </section>
  );
}
