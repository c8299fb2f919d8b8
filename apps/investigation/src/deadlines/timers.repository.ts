import { Queryable, rows, Selectable, first, sql, tables } from '@recourse/platform';
import { DB, InvestigationTimers } from '../database/investigation.tables';

export const TIMER_KINDS = ['merchant_response', 'provisional_credit', 'resolution', 'appeal_window', 'offer_response'] as const;
export type TimerKind = (typeof TIMER_KINDS)[number];

/** A due timer as the deadline worker takes it and its effect reads it. */
export type DueTimer = Pick<Selectable<InvestigationTimers>, 'id' | 'case_id' | 'kind' | 'due_at' | 'attempts'>;

/** What a failed attempt leaves on its timer: a retry time, or (no retries left) the time it was parked. */
export type TimerFailure = Pick<Selectable<InvestigationTimers>, 'attempts' | 'last_error' | 'retry_at' | 'parked_at'>;

const db = tables<DB>();

/** Schedules a durable timer, in the caller's transaction; the same timer scheduled twice is one row. */
export async function scheduleTimer(on: Queryable, caseId: string, kind: TimerKind, dueAt: Date | string): Promise<void> {
  await rows(on, db.insertInto('investigation.timers').values({ case_id: caseId, kind, due_at: dueAt })
    .onConflict((conflict) => conflict.columns(['case_id', 'kind', 'due_at']).doNothing()));
}

/**
 * The earliest timer due at `now` that is not waiting for a retry, locked for the caller's transaction.
 * SKIP LOCKED: a replica takes the next one instead of waiting, and a timer fires once.
 */
export function takeDueTimer(on: Queryable, now: Date): Promise<DueTimer | undefined> {
  return first(on, db.selectFrom('investigation.timers').select(['id', 'case_id', 'kind', 'due_at', 'attempts'])
    .where('fired_at', 'is', null).where('parked_at', 'is', null).where('due_at', '<=', now)
    .where((row) => row.or([row('retry_at', 'is', null), row('retry_at', '<=', now)]))
    .orderBy('due_at').limit(1).forUpdate().skipLocked());
}

/**
 * The effect runs under this savepoint: when it throws, `undoEffect` takes its writes back while the timer
 * stays locked, so its failure can be recorded in the same transaction.
 */
export async function beginEffect(on: Queryable): Promise<void> {
  await rows(on, sql`SAVEPOINT timer_effect`);
}

export async function undoEffect(on: Queryable): Promise<void> {
  await rows(on, sql`ROLLBACK TO SAVEPOINT timer_effect`);
}

export async function markTimerFired(on: Queryable, id: number, now: Date): Promise<void> {
  await rows(on, db.updateTable('investigation.timers').set({ fired_at: now }).where('id', '=', id));
}

export async function recordTimerFailure(on: Queryable, id: number, failure: TimerFailure): Promise<void> {
  await rows(on, db.updateTable('investigation.timers').set(failure).where('id', '=', id));
}

/** Timers parked and not fired since, per kind (kinds without any are absent). */
export function countParkedTimers(on: Queryable): Promise<Array<{ kind: TimerKind; count: number }>> {
  return rows(on, db.selectFrom('investigation.timers').select((row) => ['kind', row.fn.countAll<number>().as('count')])
    .where('parked_at', 'is not', null).where('fired_at', 'is', null).groupBy('kind'));
}
