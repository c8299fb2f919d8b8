// The bench's later phases, each at the rate E sustained: M (memory under load while the largest filings
// arrive) and O (overload at multiples of that rate).
import { performance } from 'node:perf_hooks';
import { sleep } from '@recourse/testing';
import { probeHealth, send } from './load';
import { maxInlineFiling } from './max-filing';
import { Alongside, openLoadStep, Step } from './open-load';
import { BenchPlatform } from './platform';
import { E_MS, HEALTH_PROBE_MS, log, M_FILING_RETRIES, M_FILINGS, M_MS, O_FACTORS, portOf, RSS_TARGET_MB, RUN, SUSTAINED } from './settings';
import { fmt, RssSampler } from './stats';
import { FilingFigures, OverloadFigures, Results } from './summary';
import { disputeRequest, Supplied, Supply } from './supply';

/**
 * The rate E sustained, which M holds and O multiplies (issue 16): the highest E rate that kept up, else
 * what the first one achieved; `--sustained R` gives it when E does not run.
 */
export function sustainedRate(results: Results): number {
  if (results.sustainedRate) return results.sustainedRate;
  const steps = results.E ?? [];
  const kept = steps.filter((step) => step.keptUp);
  const rate = SUSTAINED ? Number(SUSTAINED) : kept.length ? Math.max(...kept.map((step) => step.rate)) : Math.round(steps[0]?.throughput);
  if (!(rate >= 1)) throw new Error('M and O run at multiples of the rate E sustained: include E, or give --sustained R');
  results.sustainedRate = rate;
  log(`sustained rate for M and O: ${rate}/s (${SUSTAINED ? '--sustained' : kept.length ? 'the highest E rate that kept up' : 'no E rate kept up: the first rate\'s throughput'})`);
  return rate;
}

export async function memoryPhase(platform: BenchPlatform, supply: Supply, results: Results): Promise<void> {
  const rate = sustainedRate(results);
  const payments = await supply.payments(`mf${RUN}`, M_FILINGS);
  const bodies = payments.map((payment) => maxInlineFiling(payment.paymentId));
  const filingMiB = bodies[0].length / 2 ** 20;
  log(`M: ${M_FILINGS} maximum inline filings (${fmt(filingMiB)} MiB of JSON each) at once, ${fmt(M_MS / 3000)} s into ${M_MS / 1000} s at ${rate}/s; RSS every 100 ms`);
  const { step, alongside: filings } = await openLoadStep(platform, supply, {
    label: `M@${rate}/s`, prefix: `m${rate}`, rate, durationMs: M_MS, rssEveryMs: 100,
    alongside: ({ rss }) => fileAtOnce(payments, bodies, M_MS / 3, rss),
  });
  results.M = { ...step, filings: { count: M_FILINGS, mibEach: filingMiB, ...filings! }, rssTargetMb: RSS_TARGET_MB };
  log(`M: filings ${JSON.stringify(filings!.statuses)} (after ${filings!.retries} retries on 503 + Retry-After) in ${filings!.ms.join(', ')} ms${filings!.errors.length ? ` (${filings!.errors.join(' | ')})` : ''}; ` +
    `peak RSS ${JSON.stringify(step.rss)} MB (before the filings ${JSON.stringify(filings!.rssBefore)} MB; target ≤ ${RSS_TARGET_MB} MB)`);
}

/**
 * M: sends the filings at once, `delayMs` after the load began (so the services are under it); resolves
 * their statuses and times and each service's peak RSS up to that moment (the load's share of the peak).
 */
function fileAtOnce(payments: Supplied[], bodies: string[], delayMs: number, rss: RssSampler): Alongside<Omit<FilingFigures, 'count' | 'mibEach'>> {
  const done = (async () => {
    await sleep(delayMs);
    const rssBefore = rss.peaks();
    const intakePort = portOf('intake', 0);
    const started = performance.now();
    const answers = await Promise.all(payments.map(async (payment, index) => {
      // As a wallet app must (CONTRACT §1): a 503 with Retry-After is sent again, same Idempotency-Key, after it.
      let retries = 0;
      for (;;) {
        const response = await send(undefined, intakePort, { ...disputeRequest(payment, intakePort), body: bodies[index] });
        const retryAfter = Number(response.headers['retry-after']);
        if (response.status === 503 && retryAfter > 0 && retries < M_FILING_RETRIES) {
          retries++;
          await sleep(retryAfter * 1000);
          continue;
        }
        return { status: response.status, retries, ms: Math.round(performance.now() - started), error: response.status === 201 ? null : `${response.status} ${response.body.slice(0, 200)}` };
      }
    }));
    const statuses: Record<number, number> = {};
    for (const { status } of answers) statuses[status] = (statuses[status] ?? 0) + 1;
    const retries = answers.reduce((sum, answer) => sum + answer.retries, 0);
    return { statuses, retries, ms: answers.map((answer) => answer.ms), errors: answers.flatMap((answer) => (answer.error ? [answer.error] : [])), rssBefore };
  })();
  return { stop: () => done };
}

export async function overloadPhase(platform: BenchPlatform, supply: Supply, results: Results): Promise<void> {
  const sustained = sustainedRate(results);
  results.O = [];
  for (const factor of O_FACTORS) {
    const rate = Math.round(sustained * factor);
    // More sockets than E: refusals are quick, but a client-side queue would hide the offered load.
    const { step, alongside: health } = await openLoadStep(platform, supply, {
      label: `O ${factor}× (${rate}/s)`, prefix: `o${factor}x`, rate, durationMs: E_MS, maxSockets: 1024,
      alongside: () => probeHealth(platform.serviceTargets(), HEALTH_PROBE_MS),
    });
    const o = { factor, sustainedRate: sustained, ...overloadFigures(step, sustained, health!) };
    results.O.push(o);
    log(`O ${factor}×: goodput ${fmt(o.goodput)}/s = ${fmt(o.goodputShare * 100, 0)} % of ${sustained}/s, refused ${fmt(o.refusedShare * 100, 0)} %${step.refusedWithoutRetryAfter ? ` (+${step.refusedWithoutRetryAfter} without Retry-After)` : ''}, ` +
      `accepted p99 ${fmt(step.p99, 0)} ms, lost ${step.lost}, health ${o.healthGreen ? 'green' : 'NOT green'} ${JSON.stringify(health)}: targets ${o.met ? 'met' : 'missed'}`);
  }
}

/**
 * O's figures against issue 16's targets: goodput (accepted requests that end refunded, per second, from
 * the first submission to the last refund) as a share of the sustained rate, the share refused with
 * Retry-After, and whether every service's /health/ready answered 200 to every probe, each within the
 * readiness probe's timeout (a slower 200 takes the pod out of rotation just as a 503 does).
 */
function overloadFigures(step: Step, sustained: number, health: OverloadFigures['health']): Omit<OverloadFigures, 'factor' | 'sustainedRate'> {
  const goodput = step.throughput;
  const healthGreen = Object.values(health).every((probe) => probe.not200 === 0 && probe.late === 0);
  return {
    ...step,
    goodput,
    goodputShare: goodput / sustained,
    refusedShare: step.refused / step.submitted,
    health,
    healthGreen,
    met: goodput >= 0.9 * sustained && step.p99 <= 2000 && step.lost === 0 && healthGreen,
  };
}
