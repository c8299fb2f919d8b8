import { RecourseClient } from '@recourse/client';
import { slaReport, SlaReport as Report } from '../api/cases-api';
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

const ROW = 34;
const LABEL_WIDTH = 190;
const CHART_WIDTH = 640;
const BAR_AREA = CHART_WIDTH - LABEL_WIDTH - 70;

/** Horizontal bars, one group per reason; the numbers are also in the table below for screen readers. */
function Bars({ title, rows, series }: { title: string; rows: Array<{ label: string; values: number[]; texts: string[] }>; series: Array<{ name: string; className: string }> }) {
  const max = Math.max(1, ...rows.flatMap((row) => row.values));
  const barHeight = (ROW - 10) / series.length;
  const height = rows.length * ROW + 30;
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${CHART_WIDTH} ${height}`} width="100%" role="img" aria-label={title}>
        {rows.map((row, index) => (
          <g key={row.label} transform={`translate(0 ${index * ROW})`}>
            <text x={LABEL_WIDTH - 8} y={ROW / 2} textAnchor="end" dominantBaseline="middle" className="axis">{row.label}</text>
            {row.values.map((value, serie) => (
              <g key={series[serie].name}>
                <rect x={LABEL_WIDTH} y={5 + serie * barHeight} width={Math.max(1, (value / max) * BAR_AREA)} height={barHeight - 2} className={series[serie].className} />
                <text x={LABEL_WIDTH + Math.max(1, (value / max) * BAR_AREA) + 4} y={5 + serie * barHeight + barHeight / 2} dominantBaseline="middle" className="value">
                  {row.texts[serie]}
                </text>
              </g>
            ))}
          </g>
        ))}
        <g transform={`translate(${LABEL_WIDTH} ${rows.length * ROW + 12})`}>
          {series.map((serie, index) => (
            <g key={serie.name} transform={`translate(${index * 90} 0)`}>
              <rect width="12" height="12" className={serie.className} />
              <text x="18" y="10" className="axis">{serie.name}</text>
            </g>
          ))}
        </g>
      </svg>
    </figure>
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
