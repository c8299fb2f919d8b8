// The merchant dispute rates page's arithmetic, kept pure: the windows offered, the rate as people read it
// and the chart's rows. The CSV is the service's (GET /v1/reports/merchants?format=csv), as are the thresholds.

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
