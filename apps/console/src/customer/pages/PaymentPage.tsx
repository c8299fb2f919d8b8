// One payment: what the wallet recorded, why it failed if it did, and the way to dispute it.
import { ok } from '@recourse/client';
import { money } from '../../lib/format';
import { useLoad } from '../../lib/hooks';
import { Fact, ProblemNotice, SkeletonRows, StatusBadge, When } from '../components/bits';
import { Payment, useCustomer } from '../context';

export function PaymentPage({ id }: { id: string }) {
  const { client, locale, t } = useCustomer();
  const payment = useLoad(() => ok(client.intake.GET('/v1/payments/{id}', { params: { path: { id }, query: { locale } } })), [client, id, locale]);
  return (
    <section>
      {/* Above the heading: what loads below it must push nothing down (no layout shift on a slow network). */}
      <a className="back" href="#/payments">{t('backToPayments')}</a>
      <h1 tabIndex={-1}>{t('paymentTitle')}</h1>
      <ProblemNotice error={payment.error} />
      {payment.data ? <PaymentDetails payment={payment.data} /> : !payment.error && <SkeletonRows rows={1} className="card-skeleton" />}
    </section>
  );
}

function PaymentDetails({ payment }: { payment: Payment }) {
  const { locale, t } = useCustomer();
  const failed = payment.status === 'failed';
  return (
    <>
      <dl className="card facts">
        <Fact term={t('merchant')}>{payment.merchantName ?? payment.merchantId}</Fact>
        <Fact term={t('amount')}>{money(payment.amount, payment.currency, locale)}</Fact>
        <Fact term={t('time')}><When iso={payment.createdAt} /></Fact>
        <Fact term={t('status')}><StatusBadge status={payment.status} /></Fact>
        {payment.description && <Fact term={t('itemDescription')}>{payment.description}</Fact>}
        <Fact term={t('transactionId')}><span className="id">{payment.id}</span></Fact>
      </dl>
      {failed && (
        <section className="card notice" aria-labelledby="why-failed">
          <h2 id="why-failed">{t('whyFailed')}</h2>
          {payment.explanation && <p>{payment.explanation}</p>}
          <p>{payment.debited ? t('failedButDebited') : t('failedNotDebited')}</p>
        </section>
      )}
      <p className="actions">
        {payment.disputeId ? (
          <a className="button" href={`#/disputes/${encodeURIComponent(payment.disputeId)}`}>{t('viewDispute')}</a>
        ) : (
          <a className="button" href={`#/payments/${encodeURIComponent(payment.id)}/dispute`}>{t('disputeThis')}</a>
        )}
      </p>
    </>
  );
}
