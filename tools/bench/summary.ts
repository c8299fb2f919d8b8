// The bench's figures, as it gathers them and as it prints them.
import type { closedLoop, HealthFigures } from './load';
import type { IncidentFigures } from './incident';
import type { Step } from './open-load';
import { CONNECTIONS, LOG_LEVEL, log, PARTITIONS, quick, REPLICAS } from './settings';
import { fmt } from './stats';

export type ClosedLoopFigures = Awaited<ReturnType<typeof closedLoop>> & { load?: string; rss?: number };

export interface FilingFigures {
  count: number;
  mibEach: number;
  statuses: Record<number, number>;
  retries: number;
  ms: number[];
  errors: string[];
  rssBefore: Record<string, number>;
}

export interface OverloadFigures extends Step {
  factor: number;
  sustainedRate: number;
  goodput: number;
  goodputShare: number;
  refusedShare: number;
  health: Record<string, HealthFigures>;
  healthGreen: boolean;
  met: boolean;
}

export interface Results {
  when: string;
  quick: boolean;
  connections: number;
  partitions: string;
  logLevel: string;
  replicas: number;
  B?: ClosedLoopFigures;
  I?: ClosedLoopFigures;
  E?: Step[];
  M?: Step & { filings: FilingFigures; rssTargetMb: number };
  O?: OverloadFigures[];
  sustainedRate?: number;
  paymentIngestPerSecond?: number;
  profile?: unknown;
  N?: IncidentFigures;
}

export function logStep(label: string, step: Step): void {
  for (const w of step.windows ?? []) {
    log(`soak ${fmt(w.from, 0)}–${fmt(w.to, 0)} s: refunded ${w.refunded}/${w.accepted}, p50 ${fmt(w.p50, 0)} ms, p99 ${fmt(w.p99, 0)} ms, RSS ${JSON.stringify(w.rss)} MB`);
  }
  log(`${label}: accepted ${step.accepted}/${step.submitted} (HTTP ${JSON.stringify(step.httpStatuses)}, HTTP p50 ${fmt(step.http.p50)} ms p99 ${fmt(step.http.p99)} ms), refunded ${step.refunded}, lost ${step.lost}, ` +
    `throughput ${fmt(step.throughput)}/s, submit→refund.succeeded p50 ${fmt(step.p50, 0)} ms p99 ${fmt(step.p99, 0)} ms max ${fmt(step.max, 0)} ms, peak RSS ${JSON.stringify(step.rss)} MB, load ${step.load}`);
  log(`${label}: CPU ms per dispute ${JSON.stringify(step.cpuMsPerDispute)}`);
  if (step.kafkaRequestsPerDispute) log(`${label}: Kafka requests per dispute ${JSON.stringify(step.kafkaRequestsPerDispute)}`);
}

const rssList = (rss: Record<string, number>) => `${Object.entries(rss).map(([key, mb]) => `${key} ${mb}`).join(', ')} MB`;
const pct = (share: number) => `${fmt(share * 100, 0)} %`;

export function printSummary(results: Results): void {
  const rows: string[][] = [];
  const { B, I, M } = results;
  if (B) rows.push(['B raw http + 1 INSERT', `${fmt(B.rps, 0)} req/s`, fmt(B.p50), fmt(B.p99), '', B.load ?? '']);
  if (I) {
    rows.push(['I intake POST /v1/disputes (all 4 running)', `${fmt(I.rps, 0)} req/s`, fmt(I.p50), fmt(I.p99), `RSS ${fmt(I.rss ?? NaN, 0)} MB`, I.load ?? '']);
    if (B) rows.push(['I/B', fmt(I.rps / B.rps, 2), '', '', 'target ≥ 0.50, p99 ≤ 50 ms', '']);
  }
  for (const step of results.E ?? []) {
    rows.push([`E @${step.rate}/s for ${step.seconds} s`, `${fmt(step.throughput)}/s`, fmt(step.p50, 0), fmt(step.p99, 0), `lost ${step.lost}; RSS ${rssList(step.rss)}`, step.load]);
  }
  if (M) {
    const peak = Math.max(...Object.values(M.rss));
    rows.push([`M @${M.rate}/s + ${M.filings.count} × ${fmt(M.filings.mibEach)} MiB filings`, `${fmt(M.throughput)}/s`, fmt(M.p50, 0), fmt(M.p99, 0),
      `filings ${Object.entries(M.filings.statuses).map(([status, n]) => `${n}× ${status}`).join(', ')} in ≤ ${Math.max(...M.filings.ms)} ms; lost ${M.lost}; peak RSS ${rssList(M.rss)} (before the filings ${rssList(M.filings.rssBefore)})`, M.load]);
    rows.push(['M targets', '', '', '', `filings 201, peak RSS ≤ ${M.rssTargetMb} MB per service: ${peak <= M.rssTargetMb && M.filings.statuses[201] === M.filings.count ? 'met' : 'missed'}`, '']);
  }
  for (const o of results.O ?? []) {
    const health = o.healthGreen ? 'green' : `not green (${Object.entries(o.health).filter(([, probe]) => probe.not200 || probe.late)
      .map(([key, probe]) => `${key}: ${probe.not200} not 200, ${probe.late} over 2 s, of ${probe.probes}`).join('; ')})`;
    rows.push([`O ${o.factor}× = ${o.rate}/s for ${o.seconds} s`, `${fmt(o.goodput)}/s = ${pct(o.goodputShare)}`, fmt(o.p50, 0), fmt(o.p99, 0),
      `refused ${pct(o.refusedShare)}${o.refusedWithoutRetryAfter ? ` (+${o.refusedWithoutRetryAfter} without Retry-After)` : ''}; lost ${o.lost}; health ${health}; worst probe ${Math.max(...Object.values(o.health).map((probe) => probe.worstMs))} ms`, o.load]);
  }
  if (results.O?.length) {
    rows.push([`O targets (sustained ${results.sustainedRate}/s)`, '', '', '', `goodput ≥ 90 %, accepted p99 ≤ 2 s, 0 lost, every health probe 200 within 2 s: ${results.O.map((o) => `${o.factor}× ${o.met ? 'met' : 'missed'}`).join(', ')}`, '']);
  }
  const { N } = results;
  if (N) {
    rows.push([`N incident of ${N.disputes}: resolve → last refund`, `${fmt(N.refundedSeconds)} s`, '', '',
      `resolve HTTP ${N.resolveStatus} in ${fmt(N.resolveHttpSeconds)} s; refunded ${N.refunded}; notified ${N.notified}${N.notifiedSeconds === null ? '' : ` in ${fmt(N.notifiedSeconds)} s`}; target ≤ 60 s: ${N.refunded === N.disputes && N.refundedSeconds <= 60 ? 'met' : 'missed'}`, N.load]);
  }
  const head = ['benchmark', 'throughput', 'p50 ms', 'p99 ms', 'notes', 'load avg (1 5 15)'];
  const widths = head.map((title, column) => Math.max(title.length, ...rows.map((row) => String(row[column]).length)));
  const line = (row: string[]) => `| ${row.map((cell, column) => String(cell).padEnd(widths[column])).join(' | ')} |`;
  console.log(`\n${line(head)}\n|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|\n${rows.map(line).join('\n')}\n`);
  console.log(`(${quick ? 'quick run; ' : ''}${CONNECTIONS} connections, ${PARTITIONS} partitions, LOG_LEVEL=${LOG_LEVEL}, ${REPLICAS} replica(s); targets: I ≥ 0.5×B with p99 ≤ 50 ms; ` +
    'E ≥ 500/s, p99 ≤ 2000 ms, 0 lost; RSS ≤ 200 MB per service; M and O p50/p99 are submit→refund of the load\'s accepted disputes, O throughput is goodput as a share of the sustained rate)');
}
