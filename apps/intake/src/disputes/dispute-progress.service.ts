import { Injectable } from '@nestjs/common';
import { EventBatchOf, Outbox } from '@recourse/platform';
import { EntityManager } from 'typeorm';
import { IntakeConfig } from '../intake.config';
import { applyProgress, DisputeProgressRow, ProgressEventType, ProgressSettings, TimelineInsert } from './dispute-progress';

/**
 * Moves the customer's view of disputes as investigation and refund report progress, a run of events at
 * once (the consumer claimed them in the inbox): the disputes they name are read and locked with one
 * statement, in id order so concurrent runs cannot deadlock; the rules fold the events over them
 * (dispute-progress.ts); then one UPDATE, one timeline INSERT and one outbox INSERT write the outcome.
 */
@Injectable()
export class DisputeProgressService {
  private readonly settings: ProgressSettings;

  constructor(
    private readonly outbox: Outbox,
    config: IntakeConfig,
  ) {
    this.settings = { appealWindowMs: config.clocks().appealWindowMs };
  }

  async apply({ events, manager }: EventBatchOf<ProgressEventType>): Promise<void> {
    const ids = [...new Set(events.flatMap((event) => (event.disputeId ? [event.disputeId] : [])))].sort();
    if (ids.length === 0) return;
    const rows: DisputeProgressRow[] = await manager.query(
      'SELECT id, status, outcome, refunded_amount, deadlines, withdrawal FROM intake.disputes WHERE id = ANY($1) ORDER BY id FOR UPDATE',
      [ids],
    );
    if (rows.length === 0) return;
    const result = applyProgress(rows, events, this.settings);
    await updateDisputes(manager, result.updated);
    await insertTimeline(manager, result.timeline);
    await this.outbox.append(manager, result.events);
  }
}

async function updateDisputes(manager: EntityManager, rows: DisputeProgressRow[]): Promise<void> {
  if (rows.length === 0) return;
  await manager.query(
    `UPDATE intake.disputes d
     SET status = u.status, outcome = u.outcome, refunded_amount = u.refunded_amount, deadlines = u.deadlines::jsonb,
         withdrawal = u.withdrawal::jsonb, updated_at = now()
     FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::text[]) AS u (id, status, outcome, refunded_amount, deadlines, withdrawal)
     WHERE d.id = u.id`,
    [
      rows.map((row) => row.id),
      rows.map((row) => row.status),
      rows.map((row) => row.outcome),
      rows.map((row) => row.refunded_amount),
      rows.map((row) => JSON.stringify(row.deadlines)),
      rows.map((row) => (row.withdrawal === null ? null : JSON.stringify(row.withdrawal))),
    ],
  );
}

/** In the given order: the timeline's ids (its order for the customer) follow the events'. */
async function insertTimeline(manager: EntityManager, entries: TimelineInsert[]): Promise<void> {
  if (entries.length === 0) return;
  await manager.query(
    `INSERT INTO intake.timeline (dispute_id, at, type, params)
     SELECT dispute_id, at, type, params::jsonb
     FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[]) WITH ORDINALITY AS e (dispute_id, at, type, params, n)
     ORDER BY n`,
    [
      entries.map((entry) => entry.disputeId),
      entries.map((entry) => entry.at.toISOString()),
      entries.map((entry) => entry.type),
      entries.map((entry) => JSON.stringify(entry.params)),
    ],
  );
}
