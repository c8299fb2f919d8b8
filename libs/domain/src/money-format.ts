/** One formatter per locale and currency: building an Intl.NumberFormat is costly (seen in intake's profile). */
const formatters = new Map<string, { format: Intl.NumberFormat; digits: number }>();

function formatterFor(currency: string, locale: string) {
  const key = `${locale}|${currency}`;
  let entry = formatters.get(key);
  if (!entry) {
    const format = new Intl.NumberFormat(locale === 'en' ? 'en-US' : locale, { style: 'currency', currency, currencyDisplay: locale === 'en' ? 'code' : 'symbol' });
    entry = { format, digits: format.resolvedOptions().maximumFractionDigits ?? 2 };
    formatters.set(key, entry);
  }
  return entry;
}

/** Minor units to a locale's display: 129950 CNY is "¥1,299.50" in zh-CN and "CNY 1,299.50" in en. */
export function formatMoney(amount: number, currency: string, locale: string): string {
  const { format, digits } = formatterFor(currency, locale);
  // Non-breaking spaces from Intl read badly in plain-text channels.
  return format.format(amount / 10 ** digits).replace(/\u00a0/g, ' ');
}
