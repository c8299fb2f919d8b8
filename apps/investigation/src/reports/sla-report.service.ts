import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

interface ReasonRow {
  reason: string;
  total: number;
  by_status: Record<string, number>;
  by_outcome: Record<string, number> | null;
  median: number | null;
  p90: number | null;
  breaches: number;
}

/**
 * CONTRACT §5 SLA report per reason over disputes created in [from, to): counts by status and outcome,
 * median and p90 seconds from filing to decision, and breaches (cases that passed SLA_RESOLUTION undecided).
 */
@Injectable()
export class SlaReportService {
  constructor(private readonly dataSource: DataSource) {}

  async report(from: Date, to: Date) {
    const rows: ReasonRow[] = await this.dataSource.query(
      `WITH scope AS (SELECT * FROM investigation.cases WHERE created_at >= $1 AND created_at < $2)
       SELECT reason,
              count(*)::int AS total,
              (SELECT jsonb_object_agg(status, n) FROM (SELECT status, count(*)::int AS n FROM scope s WHERE s.reason = c.reason GROUP BY status) x) AS by_status,
              (SELECT jsonb_object_agg(outcome, n) FROM (SELECT outcome, count(*)::int AS n FROM scope s WHERE s.reason = c.reason AND outcome IS NOT NULL GROUP BY outcome) y) AS by_outcome,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM decided_at - created_at)) FILTER (WHERE decided_at IS NOT NULL) AS median,
              percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM decided_at - created_at)) FILTER (WHERE decided_at IS NOT NULL) AS p90,
              count(*) FILTER (WHERE 'sla_breached' = ANY(flags))::int AS breaches
       FROM scope c GROUP BY reason ORDER BY reason`,
      [from, to],
    );
    const reasons = rows.map((row) => ({
      reason: row.reason,
      total: row.total,
      byStatus: row.by_status ?? {},
      byOutcome: row.by_outcome ?? {},
      resolutionSeconds: { median: round(row.median), p90: round(row.p90) },
      breaches: row.breaches,
    }));
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      reasons,
      totals: { total: sum(reasons.map((r) => r.total)), breaches: sum(reasons.map((r) => r.breaches)) },
    };
  }
}

const round = (value: number | null) => (value === null ? null : Math.round(value * 1000) / 1000);
const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
