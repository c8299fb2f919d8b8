import { Actor } from '@recourse/contracts';
import { first, Insertable, Queryable, rows, Selectable, sql, tables } from '@recourse/platform';
import { DB, InvestigationOffers } from '../database/investigation.tables';

export type OfferRow = Selectable<InvestigationOffers>;

const db = tables<DB>();

/**
 * investigation.offers. Plain functions, as the timers' are: the offer feature, the answers' consumer and the
 * deadline worker's expiry all write offers under the case's row lock, in their caller's transaction.
 */
export async function insertOffer(on: Queryable, offer: Insertable<InvestigationOffers>): Promise<void> {
  await rows(on, db.insertInto('investigation.offers').values(offer));
}

/** The case's offers, oldest first. */
export function offersOf(on: Queryable, caseId: string): Promise<OfferRow[]> {
  return rows(on, db.selectFrom('investigation.offers').selectAll().where('case_id', '=', caseId).orderBy('created_at').orderBy('id'));
}

export function findOffer(on: Queryable, caseId: string, offerId: string): Promise<OfferRow | undefined> {
  return first(on, db.selectFrom('investigation.offers').selectAll().where('case_id', '=', caseId).where('id', '=', offerId));
}

/** The case's open offer whose time has come (at most one is open). */
export function dueOpenOffer(on: Queryable, caseId: string, now: Date): Promise<OfferRow | undefined> {
  return first(on, db.selectFrom('investigation.offers').selectAll()
    .where('case_id', '=', caseId).where('status', '=', 'open').where('expires_at', '<=', now));
}

export async function settleOffer(on: Queryable, id: string, status: 'accepted' | 'declined' | 'expired', at: Date, by: Actor | null): Promise<void> {
  await rows(on, db.updateTable('investigation.offers')
    .set({ status, settled_at: at, answered_by: by === null ? null : sql<Actor>`${JSON.stringify(by)}::jsonb` }).where('id', '=', id));
}
