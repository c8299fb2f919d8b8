// The merchant dispute rates page's arithmetic, kept pure: the windows offered, the rate as people read it,
// the chart's rows and the CSV built from the rows the page has loaded.

export interface MerchantRateRow {
  merchantId: string;
  payments: number;
  disputes: number;
  prevented: number;
  rate: number;
  status: string;
}

/** The windows the page offers (ISO 8601 durations the service takes); the service's own default first. */
export const WINDOWS = ['P30D', 'P7D', 'P90D'] as const;
export type RateWindow = (typeof WINDOWS)[number];

/**
 * CONTRACT §11's defaults (MERCHANT_RATE_WATCH, MERCHANT_RATE_EXCESSIVE, MERCHANT_RATE_MIN_DISPUTES). The report
 * does not carry the deployment's settings, so the page explains these and shows each merchant's status as the
 * service computed it.
 */
export const DEFAULT_THRESHOLDS = { watch: 0.009, excessive: 0.015, minDisputes: 100 };

/** Bars in the chart: the highest rates, as the service sorts them. */
export const CHART_ROWS = 10;
/** Longer merchant ids are cut in the middle in the chart, keeping both ends (the table shows them whole). */
const CHART_LABEL_CHARS = 30;

/** A rate as a percentage with two decimals: 0.0125 is 1.25 %. */
export function ratePercent(rate: number, locale: string): string {
  return new Intl.NumberFormat(locale, { style: 'percent', minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(rate);
}

export function chartLabel(merchantId: string): string {
  if (merchantId.length <= CHART_LABEL_CHARS) return merchantId;
  const head = Math.ceil((CHART_LABEL_CHARS - 1) / 2);
  return `${merchantId.slice(0, head)}…${merchantId.slice(-(CHART_LABEL_CHARS - 1 - head))}`;
}

/** The first rows (the highest rates, as loaded), for the chart. */
export function highestRates<Row extends MerchantRateRow>(rows: Row[]): Row[] {
  return rows.slice(0, CHART_ROWS);
}

export const CSV_HEADER = ['merchantId', 'payments', 'disputes', 'prevented', 'rate', 'status'] as const;

/**
 * RFC 4180 CSV (CRLF, a field quoted when it holds a comma, quote or line break) of the rows as loaded, the
 * rate as the service gives it (a ratio, not a percentage) so a spreadsheet can compute with it.
 */
export function ratesCsv(rows: MerchantRateRow[]): string {
  const lines = [CSV_HEADER.join(','), ...rows.map((row) => CSV_HEADER.map((column) => csvField(String(row[column]))).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** merchant-dispute-rates-<window>-<yyyy-mm-dd>.csv, the day the file was made (local). */
export function ratesFileName(window: string, now = new Date()): string {
  const day = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
  return `merchant-dispute-rates-${window}-${day}.csv`;
}
