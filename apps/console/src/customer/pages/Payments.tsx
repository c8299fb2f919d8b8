// The customer's recent payments, newest first, as the wallet reported them: where a deduction can be
// checked and picked for a dispute.
import { ok } from '@recourse/client';
import { money } from '../../lib/format';
import { ProblemNotice, SkeletonRows, StatusBadge, When } from '../components/bits';
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
      <ProblemNotice error={payments.error} />
      {payments.items === undefined ? (
        !payments.error && <SkeletonRows rows={5} />
      ) : payments.items.length === 0 ? (
        <p>{t('paymentsEmpty')}</p>
      ) : (
        <ul className="rows">
          {payments.items.map((payment) => <PaymentRow key={payment.id} payment={payment} />)}
        </ul>
      )}
      {payments.hasMore && <button type="button" className="secondary" onClick={() => void payments.showMore()}>{t('showMore')}</button>}
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
