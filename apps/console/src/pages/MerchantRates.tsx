import { RecourseClient } from '@recourse/client';
import { useState } from 'react';
import { merchantRates, merchantRatesCsv, MerchantRatePage } from '../api/reports-api';
import { Bars } from '../components/Bars';
import { ErrorMessage } from '../components/bits';
import { DownloadButton } from '../components/DownloadButton';
import { useLoad } from '../lib/hooks';
import { useI18n } from '../lib/i18n';
import { readPages } from '../lib/pages';
import { chartLabel, highestRates, MerchantRateRow, ratePercent, RateWindow, WINDOWS } from '../lib/merchant-rates';

/** Merchants per page of the API; "load more" adds pages. */
const PAGE = 50;

/**
 * Merchants' dispute rates (CONTRACT §11) for supervisors and admins: a window, the thresholds the service
 * applies, the highest rates, every row loaded, and the whole window as the service's CSV.
 */
export function MerchantRates({ client }: { client: RecourseClient }) {
  const { t, label, locale } = useI18n();
  const [rateWindow, setRateWindow] = useState<RateWindow>(WINDOWS[0]);
  const [pages, setPages] = useState(1);
  // The pages shown are read again from the first, as the queue does: a cursor taken before a change of
  // window never mixes two windows' rows.
  const report = useLoad(async () => {
    let thresholds: MerchantRatePage['thresholds'] | undefined;
    const { data: rows, more } = await readPages(async (cursor) => {
      const next = await merchantRates(client, rateWindow, PAGE, cursor);
      thresholds ??= next.thresholds;
      return next;
    }, pages);
    return { rows, thresholds, more };
  }, [client, rateWindow, pages]);
  const rows = report.data?.rows;
  const thresholds = report.data?.thresholds;
  const choose = (next: RateWindow) => {
    setRateWindow(next);
    setPages(1);
  };
  const csv = () => merchantRatesCsv(client, rateWindow);
  return (
    <section>
      <h1 tabIndex={-1}>{t('merchantRatesTitle')}</h1>
      {thresholds && <p data-thresholds>{t('merchantRatesThresholds', {
        watch: ratePercent(thresholds.watch, locale), excessive: ratePercent(thresholds.excessive, locale), minDisputes: thresholds.minDisputes,
      })}</p>}
      <form className="filters" aria-label={t('rateWindow')} onSubmit={(event) => event.preventDefault()}>
        <label>
          {t('rateWindow')}
          <select value={rateWindow} onChange={(event) => choose(event.target.value as RateWindow)}>
            {WINDOWS.map((option) => <option key={option} value={option}>{label(`window_${option}`)}</option>)}
          </select>
        </label>
        <DownloadButton label={t('downloadCsv')} file={csv} disabled={!rows || rows.length === 0} primary />
      </form>
      <ErrorMessage error={report.error} />
      {!rows && !report.error && <p>{t('loading')}</p>}
      {rows && (rows.length === 0 ? <p>{t('noMerchantRates')}</p> : (
        <>
          <Bars
            title={t('merchantRatesChart')}
            labelWidth={250}
            rows={highestRates(rows).map((row) => ({ label: chartLabel(row.merchantId), values: [row.rate], texts: [ratePercent(row.rate, locale)] }))}
            series={[{ name: t('disputeRate'), className: 'series-c' }]}
          />
          <RatesTable rows={rows} />
          {report.data?.more && <button type="button" onClick={() => setPages((shown) => shown + 1)}>{t('loadMoreMerchants')}</button>}
        </>
      ))}
    </section>
  );
}

function RatesTable({ rows }: { rows: MerchantRateRow[] }) {
  const { t, label, locale } = useI18n();
  return (
    <table className="merchant-rates">
      <caption>{t('merchantRatesTable', { count: rows.length })}</caption>
      <thead>
        <tr>
          <th scope="col">{t('merchant')}</th>
          <th scope="col" className="num">{t('paymentsCount')}</th>
          <th scope="col" className="num">{t('disputesCount')}</th>
          <th scope="col" className="num">{t('prevented')}</th>
          <th scope="col" className="num">{t('disputeRate')}</th>
          <th scope="col">{t('rateStatus')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.merchantId} data-merchant-id={row.merchantId}>
            <th scope="row"><code>{row.merchantId}</code></th>
            <td className="num" data-payments={row.payments}>{row.payments}</td>
            <td className="num">{row.disputes}</td>
            <td className="num">{row.prevented}</td>
            <td className="num" data-rate={row.rate}>{ratePercent(row.rate, locale)}</td>
            <td><span className={`badge rate-${row.status}`} data-rate-status={row.status}>{label(`rate_${row.status}`)}</span></td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
