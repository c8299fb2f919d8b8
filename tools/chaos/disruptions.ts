// The chaos run's disruptions, spread over the stream of disputes: each service SIGKILLed several times, the
// broker restarted once (or, on a cluster, two brokers SIGKILLed one after the other), Postgres restarted once.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { SERVICES, ServiceName } from '@recourse/client';
import { PrivateBroker, PrivateCluster, sleep } from '@recourse/testing';
import { Kafka } from 'kafkajs';
import { PrivateServices } from '../lib/platform';

export interface Disruption {
  at: number;
  what: ServiceName | 'broker' | 'kafka' | 'postgres';
  node?: number;
}

export interface Disrupted {
  what: string;
  at: number;
  readyMs?: number | null;
  downMs?: number;
  inSyncMs?: number;
}

/** When each disruption happens, in ms after the stream starts (`streamMs` long). */
export function schedule({ streamMs, kills, cluster, postgres }: { streamMs: number; kills: number; cluster: boolean; postgres: boolean }): Disruption[] {
  const events: Disruption[] = [];
  SERVICES.forEach((name, n) => {
    for (let k = 0; k < kills; k++) events.push({ at: ((k + (n + 1) / (SERVICES.length + 1)) / (kills + 0.5)) * streamMs * 0.9, what: name });
  });
  if (cluster) events.push({ at: streamMs * 0.25, what: 'broker', node: 1 }, { at: streamMs * 0.55, what: 'broker', node: 2 });
  else events.push({ at: streamMs * 0.33, what: 'kafka' });
  if (postgres) events.push({ at: streamMs * 0.66, what: 'postgres' });
  return events.sort((a, b) => a.at - b.at);
}

export interface Targets {
  services: PrivateServices;
  kafka: PrivateBroker | PrivateCluster;
  admin: Kafka;
  brokerDownMs: number;
  log: (message: string) => void;
}

/** Carries out `events` from `started` on; resolves what each did, once all are done. */
export async function disrupt(events: Disruption[], started: number, { services, kafka, admin, brokerDownMs, log }: Targets): Promise<Disrupted[]> {
  const done: Disrupted[] = [];
  const busy = new Set<string>();
  await Promise.all(events.map(async (event) => {
    await sleep(Math.max(0, started + event.at - Date.now()));
    // One disruption of the same thing at a time: a service is not killed again before it came back.
    while (busy.has(event.what)) await sleep(200);
    busy.add(event.what);
    try {
      const at = Date.now();
      if (event.what === 'broker' && 'kill' in kafka && event.node !== undefined) {
        log(`SIGKILL broker ${event.node}`);
        await kafka.kill(event.node);
        await sleep(brokerDownMs);
        await kafka.startNode(event.node);
        const downMs = Date.now() - at;
        await untilInSync(admin);
        log(`broker ${event.node} back and in sync`);
        done.push({ what: `broker${event.node}`, at, downMs, inSyncMs: Date.now() - at });
      } else if (event.what === 'kafka') {
        log('restarting the broker');
        await kafka.stop();
        await (kafka as PrivateBroker).start();
        done.push({ what: 'kafka', at, downMs: Date.now() - at });
      } else if (event.what === 'postgres') {
        log('restarting Postgres');
        restartPostgres();
        done.push({ what: 'postgres', at, downMs: Date.now() - at });
      } else if (event.what !== 'broker') {
        log(`SIGKILL ${event.what}`);
        const { killedAt, readyMs } = await services.restart(event.what, 120_000);
        done.push({ what: event.what, at: killedAt, readyMs });
      }
    } finally {
      busy.delete(event.what);
    }
  }));
  return done.sort((a, b) => a.at - b.at);
}

function restartPostgres(): void {
  const version = readdirSync('/etc/postgresql')[0];
  execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'restart'], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 120_000 });
}

/** Until every partition's replicas are all in sync again (a restarted broker has caught up), up to 5 min. */
async function untilInSync(client: Kafka): Promise<void> {
  const admin = client.admin();
  await admin.connect();
  try {
    const deadline = Date.now() + 300_000;
    while (Date.now() < deadline) {
      const topics = await admin.listTopics().catch(() => []);
      const { topics: described } = await admin.fetchTopicMetadata({ topics }).catch(() => ({ topics: [] }));
      if (described.length && described.every((t) => t.partitions.every((p) => p.isr.length === p.replicas.length))) return;
      await sleep(1_000);
    }
    throw new Error('the restarted broker did not catch up within 5 min');
  } finally {
    await admin.disconnect();
  }
}

/** Messages in this run's dead-letter topics (a fresh broker: all of them are this run's). */
export async function deadLettered(client: Kafka): Promise<Record<string, number>> {
  const admin = client.admin();
  await admin.connect();
  try {
    const counts: Record<string, number> = {};
    for (const topic of (await admin.listTopics()).filter((t) => t.includes('.dlq.'))) {
      const n = (await admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
      if (n) counts[topic] = n;
    }
    return counts;
  } finally {
    await admin.disconnect();
  }
}
