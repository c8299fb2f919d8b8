// npm run payment -- --customer ID --merchant ID --amount N [--currency CNY] [--status failed --debited]
//                    [--failure-reason R] [--at ISO] [--merchant-name NAME] [--id ID]
// Publishes payment.recorded to wallet.payments.v1 as the wallet core would; prints {"paymentId": …}.
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { brokers, ensureInstalled, fail, parseArgs, root } from './lib/env.mjs';

const REASONS = ['insufficient_balance', 'network_error', 'account_locked', 'risk_declined', 'other'];
const args = parseArgs(process.argv.slice(2), ['debited']);
if (!args.customer || !args.merchant || !args.amount) {
  fail('usage: npm run payment -- --customer ID --merchant ID --amount N [--currency CNY] [--status failed --debited] [--failure-reason R] [--at ISO]');
}
const amount = Number(args.amount);
if (!Number.isSafeInteger(amount) || amount < 1) fail('--amount is a positive whole number of minor units (12950 is ¥129.50)');
const currency = args.currency ?? 'CNY';
if (!/^[A-Z]{3}$/.test(currency)) fail('--currency is an ISO 4217 code such as CNY');
const status = args.status ?? 'succeeded';
if (!['succeeded', 'failed'].includes(status)) fail('--status is succeeded or failed');
if (args['failure-reason'] && !REASONS.includes(args['failure-reason'])) fail(`--failure-reason is one of ${REASONS.join(', ')}`);
const at = args.at ? new Date(args.at) : new Date();
if (Number.isNaN(at.getTime())) fail('--at is an ISO 8601 time');

ensureInstalled();
const { Kafka, logLevel, Partitioners } = createRequire(`${root}/package.json`)('kafkajs');
const paymentId = args.id ?? `pay_${randomUUID().replace(/-/g, '')}`;
const eventId = randomUUID();
const event = {
  id: eventId,
  type: 'payment.recorded',
  version: 1,
  occurredAt: new Date().toISOString(),
  disputeId: null,
  correlationId: eventId,
  causationId: null,
  actor: { type: 'system', id: 'wallet-core' },
  data: {
    paymentId,
    customerId: args.customer,
    merchantId: args.merchant,
    ...(args['merchant-name'] ? { merchantName: args['merchant-name'] } : {}),
    amount,
    currency,
    status,
    debited: status === 'succeeded' ? true : Boolean(args.debited),
    ...(status === 'failed' ? { failureReason: args['failure-reason'] ?? 'other' } : {}),
    createdAt: at.toISOString(),
  },
};

const kafka = new Kafka({ clientId: 'wallet-core', brokers: brokers(), logLevel: logLevel.NOTHING, retry: { retries: 3 } });
const admin = kafka.admin();
const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
try {
  await admin.connect();
  // The wallet core owns this topic; create it when a fresh local broker does not have it yet.
  if (!(await admin.listTopics()).includes('wallet.payments.v1')) {
    await admin.createTopics({ topics: [{ topic: 'wallet.payments.v1', numPartitions: 6 }], waitForLeaders: true });
  }
  await producer.connect();
  await producer.send({ topic: 'wallet.payments.v1', acks: -1, messages: [{ key: paymentId, value: JSON.stringify(event) }] });
} catch (error) {
  fail(`cannot publish to Kafka at ${brokers().join(',')}: ${error.message}; is \`npm start\` running?`);
} finally {
  await producer.disconnect().catch(() => undefined);
  await admin.disconnect().catch(() => undefined);
}
process.stdout.write(`${JSON.stringify({ paymentId })}\n`);
