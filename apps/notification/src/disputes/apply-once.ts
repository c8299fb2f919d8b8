import { CustomerAddress, DEFAULT_LOCALE, EventEnvelope, Locale } from '@recourse/contracts';
import { Inbox } from '@recourse/platform';
import { EntityManager } from 'typeorm';
import { DisputeCopy } from './dispute-copy';

/** Applies a dispute event once (platform inbox): a redelivery changes nothing. True when the effect ran. */
export async function applyOnce(
  inbox: Inbox,
  event: EventEnvelope,
  effect: (manager: EntityManager, disputeId: string) => Promise<void>,
): Promise<boolean> {
  const disputeId = event.disputeId;
  // A producer's bug, not an outcome: failing sends the event to the dead-letter topic instead of dropping it.
  if (!disputeId) throw new Error(`${event.type} ${event.id} carries no disputeId`);
  return inbox.once(event, (manager) => effect(manager, disputeId));
}

/**
 * Whom to tell, and in which language: the dispute's copy when dispute.submitted has arrived, else what the
 * event itself carries (topics are not ordered against each other), else zh-CN (CONTRACT §7).
 */
export function customerAddress(event: EventEnvelope, copy: DisputeCopy | undefined, carried: Partial<CustomerAddress>): CustomerAddress {
  const customerId = copy?.customer_id ?? carried.customerId;
  if (!customerId) throw new Error(`${event.type} ${event.id}: dispute ${event.disputeId} is unknown here and the event names no customer`);
  const locale: Locale = copy?.locale ?? carried.locale ?? DEFAULT_LOCALE;
  return { customerId, locale };
}
