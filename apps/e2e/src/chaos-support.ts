// Shared by the chaos, redelivery and poison e2e suites: payments published in bulk as the wallet core would,
// and direct SQL for the checks the API does not expose in bulk (how many refunds a dispute has). Disputes are
// filed with @recourse/client's fileDispute, which survives a killed intake.
import { KAFKA_BROKERS, publishRaw, queryRows, TEST_DATABASE_URL } from '@recourse/testing';
import { Admin, Kafka, logLevel } from 'kafkajs';

/** The topics each service consumes (its ServiceInfo.consumes). */
export const CONSUMES: Record<'intake' | 'investigation' | 'refund' | 'notification', string[]> = {
  intake: ['wallet.payments.v1', 'disputes.investigation.v1', 'disputes.refund.v1'],
  investigation: ['wallet.payments.v1', 'disputes.intake.v1', 'disputes.refund.v1'],
  refund: ['disputes.investigation.v1'],
  notification: ['disputes.intake.v1', 'disputes.investigation.v1', 'disputes.refund.v1'],
};

export async function publishPayments(messages: Array<{ key: string; value: string }>): Promise<void> {
  for (let index = 0; index < messages.length; index += 100) await publishRaw('wallet.payments.v1', messages.slice(index, index + 100));
}

export const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = [], url = TEST_DATABASE_URL): Promise<T[]> => queryRows<T>(url, text, params);

/** A Prometheus counter's value for the labels given (0 when the series does not exist yet). */
export function metricValue(text: string, name: string, labels: Record<string, string>): number {
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    if (Object.entries(labels).every(([label, value]) => line.includes(`${label}="${value}"`))) total += Number(line.split(' ').pop());
  }
  return total;
}

/**
 * A database of its own for services that run against a broker of their own: the outbox relay's leader is
 * elected per database, so a service on another broker but the shared database could publish (and delete)
 * the shared services' outbox rows to the wrong broker.
 */
export async function ensureOwnDatabase(name: string): Promise<string> {
  const adminUrl = TEST_DATABASE_URL.replace(/\/[^/?]+(\?.*)?$/, '/postgres$1');
  const exists = await sql('SELECT 1 FROM pg_database WHERE datname = $1', [name], adminUrl);
  if (!exists.length) await sql(`CREATE DATABASE "${name}"`, [], adminUrl).catch((error) => {
    if (!String(error).includes('already exists')) throw error;
  });
  return TEST_DATABASE_URL.replace(/\/[^/?]+(\?.*)?$/, `/${name}$1`);
}

/**
 * Moves idle consumer groups to the end of their topics, so a suite's fixed groups start from "now" on a
 * shared broker instead of replaying its whole history first (a group seen for the first time starts from
 * the earliest offset, and on a long-lived broker that history holds other runs' events, some of which fail
 * their handlers here and cost 0.6 s of retries each, one partition at a time).
 */
export async function startGroupsAtEnd(groups: Record<string, string[]>, brokers = KAFKA_BROKERS): Promise<void> {
  const admin = new Kafka({ clientId: 'recourse-chaos-tests', brokers: brokers.split(','), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    // On a fresh broker the services have not created every topic yet: a topic that does not exist has no
    // history to skip (the group will start at its beginning, which is now).
    const existing = new Set(await admin.listTopics());
    for (const [groupId, topics] of Object.entries(groups)) {
      for (const topic of topics.filter((name) => existing.has(name))) await resetToEnd(admin, groupId, topic);
    }
  } finally {
    await admin.disconnect();
  }
}

/** A topic created a moment ago may have no partition leader yet ("does not host this topic-partition"). */
async function resetToEnd(admin: Admin, groupId: string, topic: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await admin.resetOffsets({ groupId, topic, earliest: false });
      return;
    } catch (error) {
      if ((error as { type?: string }).type !== 'UNKNOWN_TOPIC_OR_PARTITION' || attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}
