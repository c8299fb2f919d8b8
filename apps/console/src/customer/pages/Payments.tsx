// The customer's recent payments, newest first, as the wallet reported them: where a deduction can be
// checked and picked for a dispute.
import { ok } from '@recourse/client';
import { money } from '../../lib/format';
import { StatusBadge, When } from '../components/bits';
import { PagedList } from '../components/PagedList';
import { Payment, useCustomer } from '../context';
import { usePagedList } from '../paging';

export function Payments() {
  const { client, locale, t } = useCustomer();
  const payments = usePagedList(
    (cursor?: string) => ok(client.intake.GET('/v1/payments', { params: { query: { limit: 20, cursor, locale } } })),
    [client, locale],
  );
  return (
    <section>
      <h1 tabIndex={-1}>{t('paymentsTitle')}</h1>
      <PagedList list={payments} loadingRows={5} empty={t('paymentsEmpty')}>
        {(payment) => <PaymentRow key={payment.id} payment={payment} />}
      </PagedList>
    </section>
  );
}

function PaymentRow({ payment }: { payment: Payment }) {
  const { locale, t } = useCustomer();
  return (
    <li data-payment-id={payment.id}>
      <a className="row" href={`#/payments/${encodeURIComponent(payment.id)}`}>
        <span className="row-line">
          <span className="row-title">{payment.merchantName ?? payment.merchantId}</span>
          <span className="row-amount">{money(payment.amount, payment.currency, locale)}</span>
        </span>
        <span className="row-line row-meta">
          <When iso={payment.createdAt} />
          <span>
            <StatusBadge status={payment.status} />
            {payment.disputeId && <span className="badge badge-dispute">{t('disputeOpen')}</span>}
          </span>
        </span>
        {payment.explanation && <span className="row-note">{payment.explanation}</span>}
      </a>
    </li>
  );
}
