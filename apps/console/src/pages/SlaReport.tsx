import { RecourseClient } from '@recourse/client';
import { slaReport, SlaReport as Report } from '../api/cases-api';
import { Bars } from '../components/Bars';
import { ErrorMessage } from '../components/bits';
import { dateTime, duration } from '../lib/format';
import { useLoad } from '../lib/hooks';
import { useI18n } from '../lib/i18n';

export function SlaReport({ client }: { client: RecourseClient }) {
  const { t, locale } = useI18n();
  const report = useLoad(() => slaReport(client), [client], 30_000);
  const data = report.data;
  return (
    <section>
      <h1 tabIndex={-1}>{t('reportTitle')}</h1>
      <ErrorMessage error={report.error} />
      {!data && !report.error && <p>{t('loading')}</p>}
      {data && (
        <>
          <p className="meta">
            {t('reportRange', { from: dateTime(data.from, locale), to: dateTime(data.to, locale) })} · {t('reportTotals', { disputes: t('reportDisputes', { count: data.totals.total }), breaches: t('reportBreaches', { count: data.totals.breaches }) })}
          </p>
          {data.reasons.length === 0 ? <p>{t('noData')}</p> : (
            <>
              <ResolutionChart report={data} />
              <BreachChart report={data} />
              <ReportTable report={data} />
            </>
          )}
        </>
      )}
    </section>
  );
}

function ResolutionChart({ report }: { report: Report }) {
  const { t, label } = useI18n();
  const rows = report.reasons.map((reason) => {
    const { median, p90 } = reason.resolutionSeconds;
    return { label: label(reason.reason), values: [median ?? 0, p90 ?? 0], texts: [duration(median), duration(p90)] };
  });
  return <Bars title={t('resolutionChart')} rows={rows} series={[{ name: t('p50'), className: 'series-a' }, { name: t('p90'), className: 'series-b' }]} />;
}

function BreachChart({ report }: { report: Report }) {
  const { t, label } = useI18n();
  const rows = report.reasons.map((reason) => ({ label: label(reason.reason), values: [reason.breaches], texts: [`${reason.breaches} / ${reason.total}`] }));
  return <Bars title={t('breachChart')} rows={rows} series={[{ name: t('breaches'), className: 'series-c' }]} />;
}

function ReportTable({ report }: { report: Report }) {
  const { t, label } = useI18n();
  return (
    <table>
      <caption>{t('table')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('reason')}</th>
          <th scope="col" className="num">{t('total')}</th>
          <th scope="col" className="num">{t('p50')}</th>
          <th scope="col" className="num">{t('p90')}</th>
          <th scope="col" className="num">{t('breaches')}</th>
        </tr>
      </thead>
      <tbody>
        {report.reasons.map((reason) => (
          <tr key={reason.reason}>
            <th scope="row">{label(reason.reason)}</th>
            <td className="num">{reason.total}</td>
            <td className="num">{duration(reason.resolutionSeconds.median)}</td>
            <td className="num">{duration(reason.resolutionSeconds.p90)}</td>
            <td className="num">{reason.breaches}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
