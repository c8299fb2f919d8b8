import { Injectable } from '@nestjs/common';
import { OPEN_CASE_STATUSES } from '@recourse/domain';
import { affected, first, Position, Queryable, rows, Selectable, sql, tables } from '@recourse/platform';
import { DataSource } from 'typeorm';
import { CaseAuditEntry, insertAuditEntries } from '../audit/audit.repository';
import { DB, InvestigationIncidents } from '../database/investigation.tables';
import { IncidentCandidate, IncidentProbe, keyOf, NewIncident } from './incident-opening.rules';
import { IncidentResolution } from './incident.types';

export type IncidentRow = Selectable<InvestigationIncidents>;
/**
 * Where an incident's cases stand, each case in exactly one: `undecided` (a resolution decides it),
 * `held` (an approval waits for four eyes), `decided` (everything else: decided or withdrawn).
 */
export interface IncidentCaseCounts {
  undecided: number;
  held: number;
  decided: number;
}
/** An incident with its cases' ids (in id order) and counts. */
export type IncidentWithCases = IncidentRow & { case_ids: string[]; counts: IncidentCaseCounts };

/** A case as a chunk of an incident's resolution leaves it. */
export interface ResolvedCaseColumns {
  id: string;
  status: string;
  pending_decision: object | null;
  decision: object | null;
  decided_at: Date | null;
  outcome: string | null;
  deadlines: object;
  audit_head_seq: number;
  audit_head_hash: string;
}

const db = tables<DB>();

/** Candidates for an incident: not in one, and not decided by triage (migration 1797000000300, cases_incident_candidates). */
const CANDIDATE = sql<boolean>`c.incident_id IS NULL AND (c.decision IS NULL OR c.decision->'decidedBy'->>'id' <> 'triage')`;
/** Cases a resolution still has to decide: open, with no decision held for four eyes. */
const UNDECIDED = sql<boolean>`c.status = ANY(${[...OPEN_CASE_STATUSES]}::text[]) AND c.pending_decision IS NULL`;
/** Cases whose approval waits for a second supervisor: a resolution leaves them alone. */
const HELD = sql<boolean>`c.pending_decision IS NOT NULL`;

/**
 * An incident's (`i`) case ids and counts, from one walk of its cases through cases_incident: the counts use the
 * very predicate the resolution decides by, so the console's "decides N cases" is what the resolution will do.
 */
const CASES_OF_INCIDENT = sql<{ case_ids: string[]; counts: IncidentCaseCounts }>`
  LEFT JOIN LATERAL (
    SELECT coalesce(array_agg(c.id ORDER BY c.id), '{}') AS case_ids,
           json_build_object('undecided', count(*) FILTER (WHERE ${UNDECIDED}), 'held', count(*) FILTER (WHERE ${HELD}),
                             'decided', count(*) FILTER (WHERE NOT (${UNDECIDED}) AND NOT (${HELD}))) AS counts
    FROM investigation.cases c WHERE c.incident_id = i.id
  ) members ON true`;

/** investigation.incidents and the cases' incident_id. */
@Injectable()
export class IncidentsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Serialises everything that opens, joins or stops an incident of these merchants and reasons until the
   * caller's transaction ends: a transaction-scoped advisory lock per (merchant, reason), taken in one order.
   */
  async lockKeys(on: Queryable, keys: readonly { merchantId: string; reason: string }[]): Promise<void> {
    // A reason is snake_case, so `reason:merchant` names one key (Postgres text cannot hold keyOf's NUL).
    const names = [...new Set(keys.map((key) => `incident:${key.reason}:${key.merchantId}`))].sort();
    if (names.length === 0) return;
    // unnest yields the names in the array's order, so every transaction takes its locks in the same order.
    await rows(on, sql`SELECT pg_advisory_xact_lock(hashtextextended(k, 0)) FROM unnest(${names}::text[]) WITH ORDINALITY AS u (k, n)`);
  }

  /**
   * The accepting incident of each candidate's key, and for candidates of keys without one the committed
   * candidates filed after its filing time minus the window: an index probe of at most `minCases` rows each.
   */
  async probe(on: Queryable, candidates: readonly IncidentCandidate[], settings: { minCases: number; windowMs: number }): Promise<IncidentProbe> {
    const [row] = await rows(on, sql<{ accepting: { merchant_id: string; reason: string; id: string }[]; committed: { n: number; count: number }[] }>`
      WITH q AS (
        SELECT * FROM unnest(${candidates.map((_, n) => n)}::int[], ${candidates.map((c) => c.merchantId)}::text[], ${candidates.map((c) => c.reason)}::text[],
                             ${candidates.map((c) => c.filedAt)}::timestamptz[]) AS q (n, merchant_id, reason, filed_at)
      ), accepting AS (
        SELECT DISTINCT i.merchant_id, i.reason, i.id FROM q JOIN investigation.incidents i
          ON i.merchant_id = q.merchant_id AND i.reason = q.reason AND i.status = 'open' AND i.resolution IS NULL
      )
      SELECT
        (SELECT coalesce(json_agg(json_build_object('merchant_id', merchant_id, 'reason', reason, 'id', id)), '[]') FROM accepting) AS accepting,
        (SELECT coalesce(json_agg(json_build_object('n', q.n, 'count', p.count)), '[]') FROM q CROSS JOIN LATERAL (
           SELECT count(*)::int AS count FROM (
             SELECT 1 FROM investigation.cases c
              WHERE c.merchant_id = q.merchant_id AND c.reason = q.reason
                AND c.created_at > q.filed_at - ${`${settings.windowMs} milliseconds`}::interval AND ${CANDIDATE}
              LIMIT ${settings.minCases}) found) p
          WHERE NOT EXISTS (SELECT 1 FROM accepting a WHERE a.merchant_id = q.merchant_id AND a.reason = q.reason)) AS committed`);
    const committed = candidates.map(() => 0);
    for (const item of row.committed) committed[item.n] = item.count;
    return { accepting: new Map(row.accepting.map((item) => [keyOf(item.merchant_id, item.reason), item.id])), committed };
  }

  /** Inserts the incidents a run opens; answers how many were new (fewer: another accepting one exists). */
  async insertIncidents(on: Queryable, opened: readonly NewIncident[], now: Date): Promise<number> {
    const inserted = await rows(on, sql`
      INSERT INTO investigation.incidents (id, merchant_id, reason, opened_at)
      SELECT id, merchant_id, reason, ${now}::timestamptz FROM unnest(${opened.map((i) => i.id)}::text[], ${opened.map((i) => i.merchantId)}::text[], ${opened.map((i) => i.reason)}::text[])
        AS u (id, merchant_id, reason)
      ON CONFLICT DO NOTHING RETURNING id`);
    return inserted.length;
  }

  /**
   * Sets incident_id on the run's joining cases and on the committed candidates filed after each new incident's
   * `from` (those its opening counted); answers every case that joined with its audit head (to continue its chain).
   */
  join(on: Queryable, joins: readonly { caseId: string; incidentId: string }[], opened: readonly NewIncident[]) {
    return rows(on, sql<{ id: string; incident_id: string; audit_head_seq: number; audit_head_hash: string }>`
      UPDATE investigation.cases c SET incident_id = j.incident_id, updated_at = now()
      FROM (
        SELECT id, incident_id FROM unnest(${joins.map((j) => j.caseId)}::text[], ${joins.map((j) => j.incidentId)}::text[]) AS u (id, incident_id)
        UNION
        SELECT c.id, w.incident_id FROM unnest(${opened.map((i) => i.id)}::text[], ${opened.map((i) => i.merchantId)}::text[], ${opened.map((i) => i.reason)}::text[],
                                               ${opened.map((i) => i.from)}::timestamptz[]) AS w (incident_id, merchant_id, reason, since)
          JOIN investigation.cases c ON c.merchant_id = w.merchant_id AND c.reason = w.reason AND c.created_at > w.since AND ${CANDIDATE}
      ) j
      WHERE c.id = j.id AND c.incident_id IS NULL
      RETURNING c.id, c.incident_id, c.audit_head_seq, c.audit_head_hash`);
  }

  /** Appends entries to chains whose heads the caller holds locked, and moves the heads; answers how many moved. */
  appendEntries(on: Queryable, entries: readonly CaseAuditEntry[]): Promise<number> {
    return affected(on, sql`
      WITH audit AS (${insertAuditEntries(entries)})
      UPDATE investigation.cases c SET audit_head_seq = u.seq, audit_head_hash = u.hash
      FROM unnest(${entries.map((e) => e.caseId)}::text[], ${entries.map((e) => e.seq)}::int[], ${entries.map((e) => e.hash)}::text[]) AS u (id, seq, hash)
      WHERE c.id = u.id AND c.audit_head_seq = u.seq - 1`);
  }

  find(on: Queryable, id: string): Promise<IncidentRow | undefined> {
    return first(on, db.selectFrom('investigation.incidents').selectAll().where('id', '=', id));
  }

  lock(on: Queryable, id: string): Promise<IncidentRow | undefined> {
    return first(on, db.selectFrom('investigation.incidents').selectAll().where('id', '=', id).forUpdate());
  }

  async requestResolution(on: Queryable, id: string, resolution: IncidentResolution, now: Date): Promise<void> {
    await rows(on, db.updateTable('investigation.incidents').set({ resolution, resolution_requested_at: now, progress_at: now })
      .where('id', '=', id).where('resolution', 'is', null));
  }

  /** The next chunk of the incident's undecided cases, locked in id order (a concurrent resolver waits, then skips what was decided). */
  undecidedChunk(on: Queryable, incidentId: string, limit: number) {
    return rows(on, sql<Selectable<DB['investigation.cases']>>`
      SELECT c.* FROM investigation.cases c WHERE c.incident_id = ${incidentId} AND ${UNDECIDED} ORDER BY c.id LIMIT ${limit} FOR UPDATE`);
  }

  /**
   * A chunk's decisions in one statement: the cases' new columns and heads, their audit entries, their timers
   * and the incident's tally. Answers how many cases moved (all of them, or the chunk must roll back).
   */
  applyChunk(on: Queryable, incidentId: string, chunk: { cases: readonly ResolvedCaseColumns[]; audit: readonly CaseAuditEntry[]; timers: readonly { caseId: string; kind: string; dueAt: string }[]; decided: number; held: readonly string[] }): Promise<number> {
    const { cases, timers } = chunk;
    const json = (value: object | null) => (value === null ? null : JSON.stringify(value));
    return affected(on, sql`
      WITH audit AS (${insertAuditEntries(chunk.audit)}),
      timers AS (
        INSERT INTO investigation.timers (case_id, kind, due_at)
        SELECT * FROM unnest(${timers.map((t) => t.caseId)}::text[], ${timers.map((t) => t.kind)}::text[], ${timers.map((t) => t.dueAt)}::timestamptz[])
        ON CONFLICT (case_id, kind, due_at) DO NOTHING
      ),
      tally AS (
        UPDATE investigation.incidents SET decided_count = decided_count + ${chunk.decided}, held_case_ids = held_case_ids || ${[...chunk.held]}::text[], progress_at = now()
        WHERE id = ${incidentId}
      )
      UPDATE investigation.cases c SET status = u.status, pending_decision = u.pending_decision, decision = u.decision, decided_at = u.decided_at,
        outcome = u.outcome, deadlines = u.deadlines, audit_head_seq = u.seq, audit_head_hash = u.hash, updated_at = now()
      FROM unnest(${cases.map((c) => c.id)}::text[], ${cases.map((c) => c.status)}::text[], ${cases.map((c) => json(c.pending_decision))}::jsonb[],
                  ${cases.map((c) => json(c.decision))}::jsonb[], ${cases.map((c) => c.decided_at)}::timestamptz[], ${cases.map((c) => c.outcome)}::text[],
                  ${cases.map((c) => JSON.stringify(c.deadlines))}::jsonb[], ${cases.map((c) => c.audit_head_seq)}::int[], ${cases.map((c) => c.audit_head_hash)}::text[])
        AS u (id, status, pending_decision, decision, decided_at, outcome, deadlines, seq, hash)
      WHERE c.id = u.id AND c.audit_head_seq = u.seq - 1`);
  }

  /**
   * Marks the incident resolved once its resolution was requested and none of its cases is left undecided;
   * answers it with its case count, or nothing (not finished, or finished before).
   */
  finish(on: Queryable, incidentId: string, now: Date) {
    return first(on, sql<IncidentRow & { case_count: number }>`
      UPDATE investigation.incidents i SET status = 'resolved', resolved_at = ${now}, progress_at = ${now}
      WHERE i.id = ${incidentId} AND i.status = 'open' AND i.resolution IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM investigation.cases c WHERE c.incident_id = i.id AND ${UNDECIDED})
      RETURNING i.*, (SELECT count(*)::int FROM investigation.cases c WHERE c.incident_id = i.id) AS case_count`);
  }

  /** Requested resolutions that have made no progress since `before` (their resolver stopped): for the resumer. */
  stalled(before: Date, limit: number): Promise<{ id: string }[]> {
    return rows(this.dataSource, db.selectFrom('investigation.incidents').select('id')
      .where('status', '=', 'open').where('resolution', 'is not', null).where('progress_at', '<', before).orderBy('progress_at').limit(limit));
  }

  /** One incident with its cases' ids and counts. */
  withCases(on: Queryable, id: string): Promise<IncidentWithCases | undefined> {
    return first(on, sql<IncidentWithCases>`
      SELECT i.*, members.* FROM investigation.incidents i ${CASES_OF_INCIDENT} WHERE i.id = ${id}`);
  }

  /**
   * A page of incidents, newest first, each with its cases' ids and counts: the counts ride on the walk of each
   * incident's cases that caseIds needs anyway (the same heap rows), so the list pays nothing more for them.
   */
  page(filter: { status?: string; merchantId?: string; after: Position | null; limit: number }): Promise<IncidentWithCases[]> {
    const conditions = [sql<boolean>`true`];
    if (filter.status !== undefined) conditions.push(sql<boolean>`i.status = ${filter.status}`);
    if (filter.merchantId !== undefined) conditions.push(sql<boolean>`i.merchant_id = ${filter.merchantId}`);
    if (filter.after) conditions.push(sql<boolean>`(i.opened_at, i.id) < (${filter.after.at}, ${filter.after.id})`);
    return rows(this.dataSource, sql<IncidentWithCases>`
      SELECT i.*, members.* FROM investigation.incidents i ${CASES_OF_INCIDENT} WHERE ${sql.join(conditions, sql` AND `)}
      ORDER BY i.opened_at DESC, i.id DESC LIMIT ${filter.limit}`);
  }
}
