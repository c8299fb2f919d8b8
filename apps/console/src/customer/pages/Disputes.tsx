// The customer's disputes, open and closed, newest first: the way back to one whose payment no longer
// shows it (a payment links only to its open dispute).
import { ok } from '@recourse/client';
import { money } from '../../lib/format';
import { StatusBadge, When } from '../components/bits';
import { PagedList } from '../components/PagedList';
import { useCustomer } from '../context';
import { usePagedList } from '../paging';

export function Disputes() {
  const { client, locale, t, label } = useCustomer();
  const disputes = usePagedList(
    (cursor?: string) => ok(client.intake.GET('/v1/disputes', { params: { query: { limit: 20, cursor } } })),
    [client],
  );
  return (
    <section>
      <h1 tabIndex={-1}>{t('disputesTitle')}</h1>
      <PagedList list={disputes} loadingRows={3} empty={t('disputesEmpty')}>
        {(dispute) => (
          <li key={dispute.id} data-dispute-id={dispute.id}>
            <a className="row" href={`#/disputes/${encodeURIComponent(dispute.id)}`}>
              <span className="row-line">
                <span className="row-title">{label(dispute.reason)}</span>
                <span className="row-amount">{money(dispute.amount, dispute.currency, locale)}</span>
              </span>
              <span className="row-line row-meta">
                <When iso={dispute.createdAt} />
                <StatusBadge status={dispute.status} />
              </span>
            </a>
          </li>
        )}
      </PagedList>
    </section>
  );
}
