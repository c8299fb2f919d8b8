// N: a mass incident (CONTRACT §12, issue 21): INCIDENT_SIZE disputes of one merchant and reason that triage
// queues (amount above AUTO_APPROVE_MAX) are filed through intake; once the incident holds them all, a supervisor
// resolves it with one POST, timed until every refund.succeeded is seen on disputes.refund.v1 and every customer
// has been told (a notification row per dispute). Target: within a minute for 5,000 (issue 21).
import { performance } from 'node:perf_hooks';
import { sleep, tokenFor, waitFor } from '@recourse/testing';
import { closedLoop } from './load';
import { BenchPlatform } from './platform';
import { CONNECTIONS, INCIDENT_SIZE, log, RUN } from './settings';
import { fmt, load } from './stats';
import { disputeRequest, Supply } from './supply';

export interface IncidentFigures {
  disputes: number;
  filingSeconds: number;
  /** From the first filing until the incident held every dispute. */
  gatheredSeconds: number;
  /** The resolve call's own duration (every case decided, in chunks). */
  resolveHttpSeconds: number;
  resolveStatus: number;
  /** From the resolve call until the last refund.succeeded. */
  refundedSeconds: number;
  refunded: number;
  /** From the resolve call until every customer had a notification created after it (null: not all within the wait). */
  notifiedSeconds: number | null;
  notified: number;
  load: string;
}

export async function incidentPhase(platform: BenchPlatform, supply: Supply): Promise<IncidentFigures> {
  const intake = platform.replicas.get('intake')![0];
  const investigation = platform.replicas.get('investigation')![0];
  const merchantId = `m-incident-${RUN}`;
  const payments = await supply.payments(`n${RUN}`, INCIDENT_SIZE, { merchantId, amount: 9_000 });
  log(`N: ${payments.length} payments of ${merchantId} published; waiting for intake and investigation to store them`);
  await supply.ingested(['intake', 'investigation']);
  let cursor = 0;
  const began = performance.now();
  const filing = await closedLoop({
    port: intake.port, connections: CONNECTIONS, warmupMs: 0, durationMs: 600_000,
    next: () => (cursor < payments.length ? disputeRequest(payments[cursor++], intake.port, 'goods_not_received') : null),
  });
  const filingSeconds = (performance.now() - began) / 1000;
  log(`N: ${payments.length} disputes filed in ${fmt(filingSeconds)} s (${fmt(filing.rps, 0)} req/s, statuses ${JSON.stringify(filing.statuses)})`);
  const held = await waitFor(async () => {
    const { rows } = await supply.db.query<{ incident_id: string; n: number }>(
      'SELECT incident_id, count(*)::int AS n FROM investigation.cases WHERE merchant_id = $1 GROUP BY incident_id', [merchantId]);
    const [only] = rows;
    return rows.length === 1 && Boolean(only.incident_id) && only.n === payments.length && only;
  }, `the incident to hold all ${payments.length} disputes`, 600_000, { intervalMs: 250 });
  const gatheredSeconds = (performance.now() - began) / 1000;
  log(`N: incident ${held.incident_id} holds all ${held.n} disputes ${fmt(gatheredSeconds)} s after the first filing`);
  const { rows: cases } = await supply.db.query<{ id: string }>('SELECT id FROM investigation.cases WHERE merchant_id = $1', [merchantId]);
  const ids = cases.map((row) => row.id);

  const token = await tokenFor({ sub: 'bench-supervisor', roles: ['supervisor'] });
  const resolvedAt = new Date();
  const t0 = performance.now();
  const response = await fetch(`${investigation.url}/v1/incidents/${held.incident_id}/resolve`, {
    method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ outcome: 'approve', reasonCode: 'merchant_retry_bug', explanation: 'the merchant charged twice (bench)' }),
  });
  const resolveHttpSeconds = (performance.now() - t0) / 1000;
  log(`N: POST resolve answered ${response.status} in ${fmt(resolveHttpSeconds)} s`);
  const refunded = () => ids.filter((id) => supply.refundedAt.has(id));
  await waitFor(() => refunded().length === ids.length || supply.failedRefunds.size > 0, 'every refund', 600_000, { intervalMs: 100 }).catch(() => undefined);
  const last = Math.max(...refunded().map((id) => supply.refundedAt.get(id)!));
  const refundedSeconds = (last - t0) / 1000;
  log(`N: ${refunded().length}/${ids.length} refunds succeeded ${fmt(refundedSeconds)} s after the resolve call`);

  let notified = 0;
  let notifiedSeconds: number | null = null;
  for (let waited = 0; waited < 120_000; waited += 250) {
    const { rows } = await supply.db.query<{ n: number }>(
      'SELECT count(DISTINCT dispute_id)::int AS n FROM notification.notifications WHERE dispute_id = ANY($1) AND created_at >= $2', [ids, resolvedAt]);
    notified = rows[0].n;
    if (notified === ids.length) {
      notifiedSeconds = (performance.now() - t0) / 1000;
      break;
    }
    await sleep(250);
  }
  log(`N: ${notified}/${ids.length} customers notified${notifiedSeconds === null ? '' : ` ${fmt(notifiedSeconds)} s after the resolve call`}; load ${load()}`);
  return {
    disputes: ids.length, filingSeconds, gatheredSeconds, resolveHttpSeconds, resolveStatus: response.status, refundedSeconds, refunded: refunded().length,
    notifiedSeconds, notified, load: load(),
  };
}
