/** The clocks that protect customers (DOMAIN.md: Regulation E and PBOC practice), as durations in ms. */
export interface DeadlineSettings {
  provisionalCreditMs: number;
  resolutionMs: number;
}

export interface DisputeDeadlines {
  merchantResponseBy?: string;
  provisionalCreditBy: string;
  resolutionBy: string;
  appealBy?: string;
}

export function addMs(at: Date, ms: number): Date {
  return new Date(at.getTime() + ms);
}

/** The deadlines a dispute has from the moment it is filed. */
export function deadlinesAtFiling(filedAt: Date, settings: DeadlineSettings): DisputeDeadlines {
  return {
    provisionalCreditBy: addMs(filedAt, settings.provisionalCreditMs).toISOString(),
    resolutionBy: addMs(filedAt, settings.resolutionMs).toISOString(),
  };
}

/** A payment may be disputed within the window (card networks: ~120 days) after it was made. */
export function isWithinDisputeWindow(paymentAt: Date, now: Date, windowMs: number): boolean {
  return now.getTime() - paymentAt.getTime() <= windowMs;
}
