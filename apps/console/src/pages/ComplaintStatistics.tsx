import { RecourseClient } from '@recourse/client';
import { useState } from 'react';
import { complaintsCsv, complaintStatistics, ComplaintStatistics as Statistics } from '../api/reports-api';
import { Bars } from '../components/Bars';
import { ErrorMessage } from '../components/bits';
import { DownloadButton } from '../components/DownloadButton';
import { addCurrencies, byRegime, DayPeriod, defaultPeriod, periodQuery } from '../lib/complaints';
import { money } from '../lib/format';
import { useLoad } from '../lib/hooks';
import { I18n, useI18n } from '../lib/i18n';

/** Complaint statistics for regulators (CONTRACT §11): supervisors and admins pick a period, read it, download it. */
export function ComplaintStatistics({ client }: { client: RecourseClient }) {
  const { t } = useI18n();
  const [period, setPeriod] = useState<DayPeriod>(() => defaultPeriod());
  const query = periodQuery(period);
  const report = useLoad(async () => (query ? complaintStatistics(client, query) : undefined), [client, query?.from, query?.to]);
  const data = report.data;
  return (
    <section>
      <h1 tabIndex={-1}>{t('complaintsTitle')}</h1>
      <form className="filters" aria-label={t('period')} onSubmit={(event) => event.preventDefault()}>
        <label>
          {t('periodFrom')}
          <input type="date" value={period.from} max={period.to} onChange={(event) => setPeriod({ ...period, from: event.target.value })} />
        </label>
        <label>
          {t('periodTo')}
          <input type="date" value={period.to} min={period.from} onChange={(event) => setPeriod({ ...period, to: event.target.value })} />
        </label>
        <CsvDownload client={client} period={period} />
      </form>
      {!query && <p role="alert">{t('periodInvalid')}</p>}
      <ErrorMessage error={report.error} />
      {query && !data && !report.error && <p>{t('loading')}</p>}
      {query && data && (data.rows.length === 0 ? <p>{t('noData')}</p> : (
        <>
          <RegimeCharts statistics={data} />
          <ComplaintTable statistics={data} />
        </>
      ))}
    </section>
  );
}

/** The same period as CSV, as the service writes it, under the service's Content-Disposition name. */
function CsvDownload({ client, period }: { client: RecourseClient; period: DayPeriod }) {
  const { t } = useI18n();
  const query = periodQuery(period);
  const file = async () => {
    if (!query) throw new Error(t('periodInvalid'));
    return complaintsCsv(client, query);
  };
  return <DownloadButton label={t('downloadCsv')} file={file} disabled={!query} primary />;
}

const percent = (part: number, whole: number, locale: string) => (whole === 0 ? '–' : new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(part / whole));
const decimal = (value: number | null, locale: string) => (value === null ? '–' : new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(value));
const amounts = (byCurrency: Record<string, number>, { locale }: I18n) => {
  const entries = Object.entries(byCurrency);
  return entries.length === 0 ? '–' : entries.map(([currency, amount]) => money(amount, currency, locale)).join(', ');
};

function RegimeCharts({ statistics }: { statistics: Statistics }) {
  const { t, label, locale } = useI18n();
  const regimes = byRegime(statistics.rows);
  const rated = statistics.rows.filter((row) => row.averageRating !== null);
  return (
    <>
      <Bars
        title={t('receivedChart')}
        rows={regimes.map((regime) => ({ label: label(`regime_${regime.regime}`), values: [regime.received, regime.resolved], texts: [String(regime.received), String(regime.resolved)] }))}
        series={[{ name: t('received'), className: 'series-a' }, { name: t('resolved'), className: 'series-b' }]}
      />
      <Bars
        title={t('withinDeadlineChart')}
        max={1}
        rows={regimes.map((regime) => ({
          label: label(`regime_${regime.regime}`),
          values: [regime.resolved === 0 ? 0 : regime.resolvedWithinDeadline / regime.resolved],
          texts: [`${percent(regime.resolvedWithinDeadline, regime.resolved, locale)} (${regime.resolvedWithinDeadline}/${regime.resolved})`],
        }))}
        series={[{ name: t('withinDeadline'), className: 'series-a' }]}
      />
      {rated.length > 0 && (
        <Bars
          title={t('ratingChart')}
          max={5}
          labelWidth={330}
          rows={rated.map((row) => ({ label: `${label(`regime_${row.regime}`)} · ${label(row.reason)} · ${label(row.channel)}`, values: [row.averageRating ?? 0], texts: [decimal(row.averageRating, locale)] }))}
          series={[{ name: t('averageRating'), className: 'series-b' }]}
        />
      )}
    </>
  );
}

function ComplaintTable({ statistics }: { statistics: Statistics }) {
  const i18n = useI18n();
  const { t, label, locale } = i18n;
  const { totals } = statistics;
  const refundedTotal = statistics.rows.reduce((sum, row) => addCurrencies(sum, row.refundedByCurrency), {} as Record<string, number>);
  return (
    <>
      <table className="complaints">
        <caption>{t('complaintsTable')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('regime')}</th>
            <th scope="col">{t('reason')}</th>
            <th scope="col">{t('channel')}</th>
            <th scope="col" className="num">{t('received')}</th>
            <th scope="col" className="num">{t('resolved')}</th>
            <th scope="col" className="num">{t('withinDeadline')}</th>
            <th scope="col" className="num">{t('refunded')}</th>
            <th scope="col" className="num">{t('refundedAmount')}</th>
            <th scope="col" className="num">{t('provisionalCredits')}</th>
            <th scope="col" className="num">{t('medianDays')}</th>
            <th scope="col" className="num">{t('p90Days')}</th>
            <th scope="col" className="num">{t('averageRating')}</th>
          </tr>
        </thead>
        <tbody>
          {statistics.rows.map((row) => (
            <tr key={`${row.regime}/${row.reason}/${row.channel}`} data-regime={row.regime} data-reason={row.reason} data-channel={row.channel}>
              <th scope="row">{label(`regime_${row.regime}`)}</th>
              <td>{label(row.reason)}</td>
              <td>{label(row.channel)}</td>
              <td className="num" data-received={row.received}>{row.received}</td>
              <td className="num">{row.resolved}</td>
              <td className="num">{row.resolvedWithinDeadline}</td>
              <td className="num">{row.refunded}</td>
              <td className="num">{amounts(row.refundedByCurrency, i18n)}</td>
              <td className="num">{row.provisionalCredits}</td>
              <td className="num">{decimal(row.medianDaysToResolve, locale)}</td>
              <td className="num">{decimal(row.p90DaysToResolve, locale)}</td>
              <td className="num">{decimal(row.averageRating, locale)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr data-totals>
            <th scope="row" colSpan={3}>{t('total')}</th>
            <td className="num" data-received={totals.received}>{totals.received}</td>
            <td className="num">{totals.resolved}</td>
            <td className="num">{totals.resolvedWithinDeadline}</td>
            <td className="num">{totals.refunded}</td>
            <td className="num">{amounts(refundedTotal, i18n)}</td>
            <td className="num">{totals.provisionalCredits}</td>
            <td colSpan={3} />
          </tr>
        </tfoot>
      </table>
      <p data-repeat-complaints={totals.repeatComplaints}>{t('repeatComplaints', { count: totals.repeatComplaints })}</p>
    </>
  );
}
