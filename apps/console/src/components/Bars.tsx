// The reports' one chart: horizontal SVG bars, drawn by hand so the console carries no charting library.

const ROW = 34;
const CHART_WIDTH = 640;
/** Room right of the longest bar for its value text. */
const VALUE_ROOM = 100;

export interface BarRow {
  label: string;
  values: number[];
  /** What each bar shows beside it (a duration, a ratio), one per series. */
  texts: string[];
}

/** Horizontal bars, one group per row; the numbers are also in the page's table for screen readers. */
export function Bars({ title, rows, series, labelWidth = 190, max }: {
  title: string;
  rows: BarRow[];
  series: Array<{ name: string; className: string }>;
  /** Wider for long row labels. */
  labelWidth?: number;
  /** A fixed scale (a rate's 1, a rating's 5) instead of the largest value. */
  max?: number;
}) {
  const scale = max ?? Math.max(1, ...rows.flatMap((row) => row.values));
  const barArea = CHART_WIDTH - labelWidth - VALUE_ROOM;
  const barHeight = (ROW - 10) / series.length;
  const height = rows.length * ROW + 30;
  const barWidth = (value: number) => Math.max(1, (value / scale) * barArea);
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${CHART_WIDTH} ${height}`} width="100%" role="img" aria-label={title}>
        {rows.map((row, index) => (
          // Two rows may read the same (a shortened label): the position keeps them apart.
          <g key={`${index}:${row.label}`} transform={`translate(0 ${index * ROW})`}>
            <text x={labelWidth - 8} y={ROW / 2} textAnchor="end" dominantBaseline="middle" className="axis">{row.label}</text>
            {row.values.map((value, serie) => (
              <g key={series[serie].name}>
                <rect x={labelWidth} y={5 + serie * barHeight} width={barWidth(value)} height={barHeight - 2} className={series[serie].className} />
                <text x={labelWidth + barWidth(value) + 4} y={5 + serie * barHeight + barHeight / 2} dominantBaseline="middle" className="value">
                  {row.texts[serie]}
                </text>
              </g>
            ))}
          </g>
        ))}
        <g transform={`translate(${labelWidth} ${rows.length * ROW + 12})`}>
          {series.map((serie, index) => (
            <g key={serie.name} transform={`translate(${index * 110} 0)`}>
              <rect width="12" height="12" className={serie.className} />
              <text x="18" y="10" className="axis">{serie.name}</text>
            </g>
          ))}
        </g>
      </svg>
    </figure>
  );
}
