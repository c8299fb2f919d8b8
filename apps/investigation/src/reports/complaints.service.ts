import { Injectable } from '@nestjs/common';
import { ComplaintsRepository } from './complaints.repository';
import { ComplaintRowView, ComplaintStatisticsView } from './dto/complaints.view';

/** CONTRACT §11 complaint statistics for regulators, per regime × reason × channel over disputes filed in [from, to). */
@Injectable()
export class ComplaintsService {
  constructor(private readonly figures: ComplaintsRepository) {}

  async statistics(from: Date, to: Date): Promise<ComplaintStatisticsView> {
    const [figures, repeatComplaints] = await Promise.all([this.figures.figures(from, to), this.figures.repeatComplaints(from, to)]);
    const rows = figures.map((row): ComplaintRowView => ({
      regime: row.regime as ComplaintRowView['regime'],
      reason: row.reason as ComplaintRowView['reason'],
      channel: row.channel as ComplaintRowView['channel'],
      received: row.received,
      resolved: row.resolved,
      resolvedWithinDeadline: row.resolved_within_deadline,
      refunded: row.refunded,
      refundedAmount: row.refunded_amount,
      refundedByCurrency: row.refunded_by_currency ?? {},
      provisionalCredits: row.provisional_credits,
      medianDaysToResolve: round(row.median_days),
      p90DaysToResolve: round(row.p90_days),
      averageRating: round(row.average_rating),
    }));
    const total = (field: 'received' | 'resolved' | 'resolvedWithinDeadline' | 'refunded' | 'refundedAmount' | 'provisionalCredits') =>
      rows.reduce((sum, row) => sum + row[field], 0);
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      rows,
      totals: {
        received: total('received'), resolved: total('resolved'), resolvedWithinDeadline: total('resolvedWithinDeadline'), refunded: total('refunded'),
        refundedAmount: total('refundedAmount'), provisionalCredits: total('provisionalCredits'), repeatComplaints,
      },
    };
  }
}

const round = (value: number | null) => (value === null ? null : Math.round(value * 1000) / 1000);
