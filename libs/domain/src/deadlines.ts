/** The clocks that protect customers (DOMAIN.md: Regulation E and PBOC practice), as durations in ms. */
export interface DeadlineSettings {
  provisionalCreditMs: number;
  resolutionMs: number;
  calendar?: SlaCalendar;
  /** SLA_HOLIDAYS: the regimes count business days without them, whatever the platform's own calendar. */
  holidays?: ReadonlySet<string>;
}

export interface DisputeDeadlines {
  merchantResponseBy?: string;
  /** Absent where the dispute's regime gives no provisional credit (PSD2 for reasons other than an unrecognised charge). */
  provisionalCreditBy?: string;
  resolutionBy: string;
  appealBy?: string;
}

export function addMs(at: Date, ms: number): Date {
  return new Date(at.getTime() + ms);
}

/** A payment may be disputed within the window (card networks: ~120 days) after it was made. */
export function isWithinDisputeWindow(paymentAt: Date, now: Date, windowMs: number): boolean {
  return now.getTime() - paymentAt.getTime() <= windowMs;
}

const DAY_MS = 86_400_000;

/** How deadlines count days: every day, or business days (Regulation E counts business days). */
export type SlaCalendar = { kind: 'calendar' } | { kind: 'business'; holidays: ReadonlySet<string> };

export const CALENDAR_DAYS: SlaCalendar = { kind: 'calendar' };

/** Monday–Friday (UTC) and not one of the holidays (`YYYY-MM-DD`). */
export function isBusinessDay(day: Date, holidays: ReadonlySet<string>): boolean {
  const weekday = day.getUTCDay();
  return weekday !== 0 && weekday !== 6 && !holidays.has(day.toISOString().slice(0, 10));
}

/**
 * `start` plus a duration. With business days, each whole day of the duration moves to the next business
 * day (UTC dates; weekends and the listed holidays skipped); the part below a day is added as it is.
 */
export function addDuration(start: Date, ms: number, calendar: SlaCalendar = CALENDAR_DAYS): Date {
  if (calendar.kind === 'calendar') return addMs(start, ms);
  let at = new Date(start.getTime());
  for (let days = Math.floor(ms / DAY_MS); days > 0; ) {
    at = addMs(at, DAY_MS);
    if (isBusinessDay(at, calendar.holidays)) days--;
  }
  return addMs(at, ms % DAY_MS);
}
