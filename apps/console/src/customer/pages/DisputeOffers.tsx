// The merchant's offers to settle the dispute (CONTRACT §10): the open one with what accepting or declining
// means and the two answers; earlier ones with how they ended. Accepting a refund offer refunds that amount
// and ends the dispute; accepting a replacement or a return ends it resolved with the merchant.
import { useId, useState } from 'react';
import { ok } from '@recourse/client';
import { money } from '../../lib/format';
import { ProblemNotice, StatusBadge, When } from '../components/bits';
import { Dispute, useCustomer } from '../context';
import type { MessageKey } from '../i18n';

type Offer = Dispute['offers'][number];

/** What accepting does, by kind of offer. */
const ACCEPTING: Record<Offer['kind'], MessageKey> = {
  full_refund: 'offerAcceptRefund',
  partial_refund: 'offerAcceptRefund',
  replacement: 'offerAcceptReplacement',
  return_for_refund: 'offerAcceptReturn',
};

export function DisputeOffers({ dispute, onChange }: { dispute: Dispute; onChange: () => Promise<void> }) {
  const customer = useCustomer();
  const id = useId();
  // Kept here, not on the offer: a refused answer reloads the dispute, and the offer it was about may no
  // longer be open (so no longer drawn as such) while the customer still needs to read why.
  const [error, setError] = useState<unknown>();
  if (dispute.offers.length === 0) return null;
  const open = dispute.offers.filter((offer) => offer.status === 'open');
  const others = dispute.offers.filter((offer) => offer.status !== 'open');
  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{customer.t('offersTitle')}</h2>
      <ProblemNotice error={error} />
      {open.map((offer) => <OpenOffer key={offer.id} dispute={dispute} offer={offer} onChange={onChange} onError={setError} />)}
      {others.length > 0 && (
        <ul className="rows">
          {others.map((offer) => (
            <li key={offer.id} className="entry" data-offer-id={offer.id} data-offer-status={offer.status}>
              <p className="row-line">
                <span className="row-title">{describe(offer, dispute, customer)}</span>
                <StatusBadge status={`offer_${offer.status}`} />
              </p>
              <p className="row-meta"><When iso={offer.createdAt} /></p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** "A partial refund of ¥50.00", or the kind alone where no money is offered. */
function describe(offer: Offer, dispute: Dispute, { t, label, locale }: ReturnType<typeof useCustomer>): string {
  return offer.amount === null ? label(offer.kind) : t('offerWithAmount', { kind: label(offer.kind), amount: money(offer.amount, dispute.currency, locale) });
}

interface OpenOfferProps {
  dispute: Dispute;
  offer: Offer;
  onChange: () => Promise<void>;
  onError: (error: unknown) => void;
}

function OpenOffer({ dispute, offer, onChange, onError }: OpenOfferProps) {
  const customer = useCustomer();
  const { client, locale, t } = customer;
  const id = useId();
  const [busy, setBusy] = useState<'accept' | 'decline' | undefined>();
  const amount = offer.amount === null ? '' : money(offer.amount, dispute.currency, locale);
  const answer = async (verb: 'accept' | 'decline') => {
    if (busy) return;
    setBusy(verb);
    onError(undefined);
    try {
      const path = { id: dispute.id, offerId: offer.id };
      if (verb === 'accept') await ok(client.intake.POST('/v1/disputes/{id}/offers/{offerId}/accept', { params: { path } }));
      else await ok(client.intake.POST('/v1/disputes/{id}/offers/{offerId}/decline', { params: { path } }));
      await onChange();
    } catch (error) {
      onError(error);
      // A 409 offer_not_open means the offer moved on (it lapsed, or was answered elsewhere): show how it stands now.
      await onChange().catch(() => undefined);
    } finally {
      setBusy(undefined);
    }
  };
  return (
    <div className="card notice" role="group" aria-labelledby={`${id}-offer`} data-offer-id={offer.id} data-offer-status={offer.status}>
      <p id={`${id}-offer`} className="row-title">{describe(offer, dispute, customer)}</p>
      <p className="quote">{offer.message}</p>
      <p className="hint">{t('offerAnswerBy', { time: new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short' }).format(new Date(offer.expiresAt)) })}</p>
      <p>{t(ACCEPTING[offer.kind], { amount })} {t('offerDeclineMeans')}</p>
      <div className="answers">
        <button type="button" className="primary" aria-disabled={busy ? true : undefined} onClick={() => void answer('accept')}>
          {busy === 'accept' ? t('sending') : t('offerAccept')}
        </button>
        <button type="button" className="secondary" aria-disabled={busy ? true : undefined} onClick={() => void answer('decline')}>
          {busy === 'decline' ? t('sending') : t('offerDecline')}
        </button>
      </div>
    </div>
  );
}
