// Intake's memory while maximum inline filings arrive (issue 16: peak RSS ≤ 200 MB): one filing alone, then
// four at once, each 5 attachments of 5 MiB (tools/bench/max-filing.ts). Peak RSS is the kernel's VmHWM,
// reset before each round (clear_refs), so no short peak between samples is missed.
//
//   npx nx build intake && node tools/bootstrap.mjs bench/filing-memory --port 4811 --brokers 127.0.0.1:9192 [--db recourse_memory_bench]
import { writeFileSync } from 'node:fs';
import { ensureKeyPair, sleep, tokenFor } from '@recourse/testing';
import { option, parseArgs, runTool } from '../lib/cli';
import { withIntakeAlone } from './intake-alone';
import { maxInlineFiling } from './max-filing';
import { memoryMb } from './stats';

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const options = { port: Number(option(args, 'port') ?? 4811), brokers: option(args, 'brokers') ?? '127.0.0.1:9192', database: option(args, 'db') ?? 'recourse_memory_bench' };
  ensureKeyPair();
  await withIntakeAlone(options, async ({ intake, db }) => {
    await db.query(
      `INSERT INTO intake.payments (id, customer_id, merchant_id, amount, currency, status, debited, created_at)
       SELECT 'pay_' || i, 'c', 'm', 1000, 'CNY', 'succeeded', true, now() - interval '1 hour' FROM generate_series(0, 9) AS i`,
    );
    const token = await tokenFor({ sub: 'c', roles: ['customer'], locale: 'en' });
    let next = 0;
    const file = async () => {
      const body = maxInlineFiling(`pay_${next++}`);
      const response = await fetch(`${intake.url}/v1/disputes`, {
        method: 'POST', body, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': `memory-${next}` },
      });
      await response.arrayBuffer();
      return response.status;
    };
    const round = async (count: number) => {
      await sleep(2_000); // let the previous round's garbage go
      const before = Math.round(memoryMb(intake.pid));
      writeFileSync(`/proc/${intake.pid}/clear_refs`, '5'); // resets VmHWM to the current RSS
      const started = Date.now();
      const statuses = await Promise.all(Array.from({ length: count }, file));
      console.log(`${count} filing(s): statuses ${statuses.join(',')} in ${Date.now() - started} ms; RSS before ${before} MB, peak ${Math.round(memoryMb(intake.pid, 'VmHWM'))} MB`);
    };
    await round(1);
    await round(1);
    await round(4);
  });
}

runTool('filing-memory', main);
