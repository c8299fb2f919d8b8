import { Injectable } from '@nestjs/common';
import { Queryable, RawBuilder, rows, Selectable, sql, tables } from '@recourse/platform';
import { DB, IntakeDisputes } from '../database/intake.tables';
import type { TimelineInsert } from './dispute-progress.reducer';

/** The columns of intake.disputes progress reads and writes. */
export type DisputeProgressRow = Pick<Selectable<IntakeDisputes>, 'id' | 'status' | 'outcome' | 'refunded_amount' | 'deadlines' | 'withdrawal' | 'prevented' | 'offers'>;

const db = tables<DB>();

/**
 * What a run of progress events reads and writes, each a single statement however many events the run
 * holds, in the caller's (the consumer run's) transaction. The writes are statements for the service to
 * send together (`together`), with the run's outbox INSERT, in one round trip.
 */
@Injectable()
export class DisputeProgressRepository {
  /** The disputes `ids` names that intake filed, locked in id order so concurrent runs cannot deadlock. */
  lock(on: Queryable, ids: string[]): Promise<DisputeProgressRow[]> {
    return rows(on, db.selectFrom('intake.disputes').select(['id', 'status', 'outcome', 'refunded_amount', 'deadlines', 'withdrawal', 'prevented', 'offers'])
      .where('id', '=', sql<string>`ANY(${ids})`).orderBy('id').forUpdate());
  }

  /** The UPDATE that writes the disputes' new state; null for none. */
  update(disputes: DisputeProgressRow[]): RawBuilder<unknown> | null {
    if (disputes.length === 0) return null;
    return sql`
      UPDATE intake.disputes d
      SET status = u.status, outcome = u.outcome, refunded_amount = u.refunded_amount, deadlines = u.deadlines::jsonb,
          withdrawal = u.withdrawal::jsonb, prevented = u.prevented, offers = u.offers::jsonb, updated_at = now()
      FROM unnest(${disputes.map((row) => row.id)}::text[], ${disputes.map((row) => row.status)}::text[], ${disputes.map((row) => row.outcome)}::text[],
                  ${disputes.map((row) => row.refunded_amount)}::bigint[], ${disputes.map((row) => JSON.stringify(row.deadlines))}::text[],
                  ${disputes.map((row) => (row.withdrawal === null ? null : JSON.stringify(row.withdrawal)))}::text[],
                  ${disputes.map((row) => row.prevented)}::boolean[], ${disputes.map((row) => JSON.stringify(row.offers))}::text[])
        AS u (id, status, outcome, refunded_amount, deadlines, withdrawal, prevented, offers)
      WHERE d.id = u.id`;
  }

  /** The INSERT that adds timeline entries in the given order (their ids are the customer's order); null for none. */
  addTimeline(entries: TimelineInsert[]): RawBuilder<unknown> | null {
    if (entries.length === 0) return null;
    return sql`
      INSERT INTO intake.timeline (dispute_id, at, type, params)
      SELECT dispute_id, at, type, params::jsonb
      FROM unnest(${entries.map((entry) => entry.disputeId)}::text[], ${entries.map((entry) => entry.at.toISOString())}::timestamptz[],
                  ${entries.map((entry) => entry.type)}::text[], ${entries.map((entry) => JSON.stringify(entry.params))}::text[])
        WITH ORDINALITY AS e (dispute_id, at, type, params, n)
      ORDER BY n`;
  }
}
