/**
 * ISO 8601 durations for the contract's settings (`P120D`, `PT3S`, `PT5M`). Years and months are refused:
 * their length depends on the calendar, and a deadline must mean the same number of seconds everywhere.
 */
const DURATION = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

export function parseDurationMs(text: string): number | null {
  const match = DURATION.exec(text.trim());
  if (!match || text.trim() === 'P' || text.trim().endsWith('T')) return null;
  const [, weeks, days, hours, minutes, seconds] = match;
  const ms =
    ((Number(weeks ?? 0) * 7 + Number(days ?? 0)) * 86_400 +
      Number(hours ?? 0) * 3_600 +
      Number(minutes ?? 0) * 60 +
      Number(seconds ?? 0)) *
    1000;
  return Number.isFinite(ms) ? Math.round(ms) : null;
}

export function parseDurationList(text: string): number[] | null {
  const parts = text.split(',').map((part) => parseDurationMs(part));
  return parts.some((part) => part === null) ? null : (parts as number[]);
}
