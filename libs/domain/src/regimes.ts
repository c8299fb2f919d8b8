import { DisputeReason, Jurisdiction, Regime } from '@recourse/contracts';
import { addDuration, DeadlineSettings, DisputeDeadlines, isBusinessDay } from './deadlines';

const DAY_MS = 86_400_000;

const REGIME_OF_JURISDICTION: Record<Jurisdiction, Regime> = { US: 'reg_e', EU: 'psd2', CN: 'pboc' };

/** A payment without a (known) jurisdiction follows the platform's own `SLA_*` settings. */
export function regimeOf(jurisdiction: string | null | undefined): Regime {
  return (jurisdiction && REGIME_OF_JURISDICTION[jurisdiction as Jurisdiction]) || 'platform';
}

/**
 * "N business days after": the filing instant moved forward N days counting only Monday–Friday (UTC) that
 * are not holidays, keeping the time of day (CONTRACT §11). Filed on a Saturday, the first day counted is
 * Monday.
 */
export function addBusinessDays(at: Date, days: number, holidays: ReadonlySet<string>): Date {
  return addDuration(at, days * DAY_MS, { kind: 'business', holidays });
}

/** "End of the next business day": 23:59:59.999Z of the first business day after the filing's date. */
export function endOfNextBusinessDay(at: Date, holidays: ReadonlySet<string>): Date {
  let day = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  do day = new Date(day.getTime() + DAY_MS); while (!isBusinessDay(day, holidays));
  return new Date(day.getTime() + DAY_MS - 1);
}

/**
 * The deadlines a dispute has from the moment it is filed: CONTRACT §11's table for its regime. Sources: Regulation E 12 CFR §1005.11(c) (provisional credit within
 * 10 business days, resolution within 45 days); PSD2 Art. 73 (an unauthorised payment refunded by the end
 * of the following business day) and Art. 101 (an answer within 15 business days); PBOC complaint handling
 * (15 days). `platform` keeps today's settings, so tests can run on seconds.
 */
export function deadlinesAtFiling(filedAt: Date, dispute: { regime: Regime; reason: DisputeReason }, settings: DeadlineSettings): DisputeDeadlines {
  const iso = (at: Date) => at.toISOString();
  const holidays = settings.holidays ?? new Set<string>();
  const platform = () => ({
    provisionalCreditBy: iso(addDuration(filedAt, settings.provisionalCreditMs, settings.calendar)),
    resolutionBy: iso(addDuration(filedAt, settings.resolutionMs, settings.calendar)),
  });
  switch (dispute.regime) {
    case 'reg_e':
      return { provisionalCreditBy: iso(addBusinessDays(filedAt, 10, holidays)), resolutionBy: iso(new Date(filedAt.getTime() + 45 * DAY_MS)) };
    case 'psd2':
      return {
        ...(dispute.reason === 'unrecognized_charge' ? { provisionalCreditBy: iso(endOfNextBusinessDay(filedAt, holidays)) } : {}),
        resolutionBy: iso(addBusinessDays(filedAt, 15, holidays)),
      };
    case 'pboc':
      return { provisionalCreditBy: platform().provisionalCreditBy, resolutionBy: iso(new Date(filedAt.getTime() + 15 * DAY_MS)) };
    case 'platform':
      return platform();
  }
}
