/** Minor units to a locale's display: 129950 CNY is "¥1,299.50" in zh-CN and "CNY 1,299.50" in en. */
export function formatMoney(amount: number, currency: string, locale: string): string {
  const options: Intl.NumberFormatOptions = { style: 'currency', currency, currencyDisplay: locale === 'en' ? 'code' : 'symbol' };
  const format = new Intl.NumberFormat(locale === 'en' ? 'en-US' : locale, options);
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  // Non-breaking spaces from Intl read badly in plain-text channels.
  return format.format(amount / 10 ** digits).replace(/\u00a0/g, ' ');
}
