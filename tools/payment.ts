// npm run payment -- --customer ID --merchant ID --amount N [--currency CNY] [--status failed --debited]
//                    [--failure-reason R] [--at ISO] [--merchant-name NAME] [--id ID] [--jurisdiction US|EU|CN]
//                    [--device ID] [--ip ADDR]
// Publishes payment.recorded to wallet.payments.v1 as the wallet core would; prints {"paymentId": …}.
import { isIP } from 'node:net';
import { FAILURE_REASONS, FailureReason, JURISDICTIONS, PaymentStatus } from '@recourse/contracts';
import { connectWalletPublisher, KAFKA_BROKERS, paymentRecorded } from '@recourse/testing';
import { fail, option, parseArgs, runTool } from './lib/cli';

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), ['debited']);
  const [customerId, merchantId] = [option(args, 'customer'), option(args, 'merchant')];
  if (!customerId || !merchantId || !args.amount) {
    fail('usage: npm run payment -- --customer ID --merchant ID --amount N [--currency CNY] [--status failed --debited] [--failure-reason R] [--at ISO] [--jurisdiction US|EU|CN] [--device ID] [--ip ADDR]');
  }
  const amount = Number(args.amount);
  if (!Number.isSafeInteger(amount) || amount < 1) fail('--amount is a positive whole number of minor units (12950 is ¥129.50)');
  const currency = option(args, 'currency') ?? 'CNY';
  if (!/^[A-Z]{3}$/.test(currency)) fail('--currency is an ISO 4217 code such as CNY');
  const status = option(args, 'status') ?? 'succeeded';
  if (status !== 'succeeded' && status !== 'failed') fail('--status is succeeded or failed');
  const failureReason = option(args, 'failure-reason');
  if (failureReason && !(FAILURE_REASONS as readonly string[]).includes(failureReason)) fail(`--failure-reason is one of ${FAILURE_REASONS.join(', ')}`);
  const at = args.at ? new Date(String(args.at)) : new Date();
  if (Number.isNaN(at.getTime())) fail('--at is an ISO 8601 time');
  const jurisdiction = option(args, 'jurisdiction');
  if (jurisdiction && !(JURISDICTIONS as readonly string[]).includes(jurisdiction)) fail(`--jurisdiction is one of ${JURISDICTIONS.join(', ')}`);
  const [deviceId, ip] = [option(args, 'device'), option(args, 'ip')];
  if (ip && !isIP(ip)) fail('--ip is an IPv4 or IPv6 address');

  const { paymentId, message } = paymentRecorded({
    paymentId: option(args, 'id'), customerId, merchantId, merchantName: option(args, 'merchant-name'), amount, currency,
    status: status as PaymentStatus, debited: Boolean(args.debited), failureReason: failureReason as FailureReason | undefined, createdAt: at,
    jurisdiction,
    ...(deviceId || ip ? { device: { ...(deviceId ? { id: deviceId } : {}), ...(ip ? { ip } : {}) } } : {}),
  });
  try {
    // The wallet core owns the topic: a fresh local broker gets it here, with six partitions.
    const wallet = await connectWalletPublisher(KAFKA_BROKERS, { createTopic: 6, retries: 3 });
    try {
      await wallet.publish([message]);
    } finally {
      await wallet.disconnect();
    }
  } catch (error) {
    fail(`cannot publish to Kafka at ${KAFKA_BROKERS}: ${(error as Error).message}; is \`npm start\` running?`);
  }
  process.stdout.write(`${JSON.stringify({ paymentId })}\n`);
}

runTool('payment', main);
