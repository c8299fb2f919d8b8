import { Injectable } from '@nestjs/common';
import { SlaReportRepository } from './sla-report.repository';

/**
 * CONTRACT §5 SLA report per reason over disputes created in [from, to): counts by status and outcome,
 * median and p90 seconds from filing to decision, and breaches (cases that passed SLA_RESOLUTION undecided).
 */
@Injectable()
export class SlaReportService {
  constructor(private readonly figures: SlaReportRepository) {}

  async report(from: Date, to: Date) {
    const rows = await this.figures.byReason(from, to);
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
