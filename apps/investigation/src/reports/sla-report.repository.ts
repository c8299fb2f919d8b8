import { Injectable } from '@nestjs/common';
import { rows, sql } from '@recourse/platform';
import { DataSource } from 'typeorm';
import { CaseRow } from '../cases/cases.repository';

/** One reason's figures over the cases created in the period. */
export interface ReasonFigures {
  reason: CaseRow['reason'];
  total: number;
  by_status: Record<string, number>;
  by_outcome: Record<string, number> | null;
  median: number | null;
  p90: number | null;
  breaches: number;
}

@Injectable()
export class SlaReportRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Per reason over cases created in [from, to): counts by status and outcome, decision times, breaches. */
  byReason(from: Date, to: Date): Promise<ReasonFigures[]> {
    return rows(this.dataSource, sql<ReasonFigures>`
      WITH scope AS (SELECT * FROM investigation.cases WHERE created_at >= ${from} AND created_at < ${to})
      SELECT reason,
             count(*)::int AS total,
             (SELECT jsonb_object_agg(status, n) FROM (SELECT status, count(*)::int AS n FROM scope s WHERE s.reason = c.reason GROUP BY status) x) AS by_status,
             (SELECT jsonb_object_agg(outcome, n) FROM (SELECT outcome, count(*)::int AS n FROM scope s WHERE s.reason = c.reason AND outcome IS NOT NULL GROUP BY outcome) y) AS by_outcome,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM decided_at - created_at)) FILTER (WHERE decided_at IS NOT NULL) AS median,
             percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM decided_at - created_at)) FILTER (WHERE decided_at IS NOT NULL) AS p90,
             count(*) FILTER (WHERE 'sla_breached' = ANY(flags))::int AS breaches
      FROM scope c GROUP BY reason ORDER BY reason`);
  }
}
