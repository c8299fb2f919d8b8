import { complaintsCsv } from './complaints.mapper';

describe('complaint statistics as CSV', () => {
  it('writes a header row and one line per row, empty cells for nulls, CRLF line ends', () => {
    const csv = complaintsCsv({
      from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z',
      rows: [{
        regime: 'psd2', reason: 'unrecognized_charge', channel: 'app', received: 3, resolved: 2, resolvedWithinDeadline: 1, refunded: 1, refundedAmount: 12950,
        refundedByCurrency: { EUR: 12950 }, provisionalCredits: 2, medianDaysToResolve: 1.5, p90DaysToResolve: null, averageRating: 4.5,
      }],
      totals: { received: 3, resolved: 2, resolvedWithinDeadline: 1, refunded: 1, refundedAmount: 12950, provisionalCredits: 2, repeatComplaints: 0 },
    });
    expect(csv).toBe('regime,reason,channel,received,resolved,resolvedWithinDeadline,refunded,refundedAmount,provisionalCredits,medianDaysToResolve,p90DaysToResolve,averageRating\r\n'
      + 'psd2,unrecognized_charge,app,3,2,1,1,12950,2,1.5,,4.5\r\n');
  });

  it('writes only the header when nothing was filed', () => {
    expect(complaintsCsv({ from: '', to: '', rows: [], totals: { received: 0, resolved: 0, resolvedWithinDeadline: 0, refunded: 0, refundedAmount: 0, provisionalCredits: 0, repeatComplaints: 0 } }).split('\r\n')).toHaveLength(2);
  });
});
