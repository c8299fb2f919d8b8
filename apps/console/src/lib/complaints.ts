// The complaint statistics page's arithmetic, kept pure: the period a person picks as calendar days and the
// rows summed per regime for the charts.

export interface ComplaintCounts {
  regime: string;
  received: number;
  resolved: number;
  resolvedWithinDeadline: number;
  refundedByCurrency: Record<string, number>;
}

export interface DayPeriod {
  /** yyyy-mm-dd, the first day counted. */
  from: string;
  /** yyyy-mm-dd, the last day counted. */
  to: string;
}

const DEFAULT_DAYS = 30;

/** A local calendar day as yyyy-mm-dd (what `<input type="date">` holds). */
export function dayOf(date: Date): string {
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}

/** The last 30 days up to and including today, as the service's own default. */
export function defaultPeriod(now = new Date()): DayPeriod {
  const from = new Date(now.getFullYear(), now.getMonth(), now.getDate() - DEFAULT_DAYS);
  return { from: dayOf(from), to: dayOf(now) };
}

/**
 * The service counts `[from, to)` by instants; a person picks whole days in their own time zone, the last one
 * included, so `to` becomes the start of the next day. Null when the days are missing or out of order.
 */
export function periodQuery(period: DayPeriod): { from: string; to: string } | null {
  const start = localMidnight(period.from);
  const lastDay = localMidnight(period.to);
  if (!start || !lastDay || start > lastDay) return null;
  const end = new Date(lastDay.getFullYear(), lastDay.getMonth(), lastDay.getDate() + 1);
  return { from: start.toISOString(), to: end.toISOString() };
}

function localMidnight(day: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return null;
  const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return Number.isNaN(date.getTime()) ? null : date;
}

/** The rows summed per regime, in the order regimes first appear. */
export function byRegime<Row extends ComplaintCounts>(rows: Row[]): ComplaintCounts[] {
  const sums = new Map<string, ComplaintCounts>();
  for (const row of rows) {
    const sum = sums.get(row.regime) ?? { regime: row.regime, received: 0, resolved: 0, resolvedWithinDeadline: 0, refundedByCurrency: {} };
    sum.received += row.received;
    sum.resolved += row.resolved;
    sum.resolvedWithinDeadline += row.resolvedWithinDeadline;
    sum.refundedByCurrency = addCurrencies(sum.refundedByCurrency, row.refundedByCurrency);
    sums.set(row.regime, sum);
  }
  return [...sums.values()];
}

/** Minor units per currency, summed: amounts in different currencies are never added together. */
export function addCurrencies(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  const sum = { ...a };
  for (const [currency, amount] of Object.entries(b)) sum[currency] = (sum[currency] ?? 0) + amount;
  return sum;
}
