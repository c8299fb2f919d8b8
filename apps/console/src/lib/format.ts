import type { Locale } from './i18n';

const fractionDigits = (currency: string) => new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;

/** Minor units to a localised amount: 12950 CNY is ¥129.50. */
export function money(amount: number, currency: string, locale: Locale): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(amount / 10 ** fractionDigits(currency));
}

/** Minor units as a plain decimal a person can edit: 12950 CNY is "129.50". */
export function majorUnits(amount: number, currency: string): string {
  const digits = fractionDigits(currency);
  return (amount / 10 ** digits).toFixed(digits);
}

/** A decimal amount typed by a person, in major units, to minor units; null when it is not one. */
export function toMinorUnits(typed: string, currency: string): number | null {
  const digits = fractionDigits(currency);
  const match = /^\s*(\d+)(?:[.,](\d*))?\s*$/.exec(typed);
  if (!match || (match[2] ?? '').length > digits) return null;
  return Number(match[1]) * 10 ** digits + Number((match[2] ?? '').padEnd(digits, '0') || 0);
}

/** Time left until `deadline`, coarse enough to read at a glance: "3d 4h", "12m 5s", or negative when past. */
export function countdown(deadline: string | Date, now: Date): { text: string; past: boolean } {
  const ms = new Date(deadline).getTime() - now.getTime();
  const past = ms < 0;
  let seconds = Math.floor(Math.abs(ms) / 1000);
  const days = Math.floor(seconds / 86_400);
  seconds -= days * 86_400;
  const hours = Math.floor(seconds / 3600);
  seconds -= hours * 3600;
  const minutes = Math.floor(seconds / 60);
  seconds -= minutes * 60;
  const text = days > 0 ? `${days}d ${hours}h` : hours > 0 ? `${hours}h ${minutes}m` : `${minutes}m ${seconds}s`;
  return { text: past ? `-${text}` : text, past };
}

/** Seconds to the largest unit that keeps the number readable, for chart labels. */
export function duration(seconds: number | null): string {
  if (seconds === null) return '–';
  if (seconds < 120) return `${Math.round(seconds)}s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)}m`;
  if (seconds < 172_800) return `${(seconds / 3600).toFixed(1)}h`;
  return `${(seconds / 86_400).toFixed(1)}d`;
}

/**
 * The short form of an id that people read and say (a case's heading, a queue's rows): its last 8 characters. Not
 * its first: the ids the services make are time-ordered (UUID version 7), so those made within the same minute or
 * so share their first 8; the last 8 are random in every version.
 */
export function shortId(id: string): string {
  return id.slice(-8);
}

export function dateTime(iso: string, locale: Locale): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

/** A file's size for people: "850 kB", "4.2 MB". */
export function fileSize(bytes: number, locale: Locale): string {
  const [value, unit] = bytes >= 1_000_000 ? [bytes / 1_000_000, 'megabyte'] : [Math.max(1, bytes / 1000), 'kilobyte'];
  return new Intl.NumberFormat(locale, { style: 'unit', unit, maximumFractionDigits: unit === 'megabyte' ? 1 : 0 }).format(value);
}
