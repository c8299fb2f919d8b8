// What a request costs intake's process, route by route: GET each path (as one customer, token verified once
// and then cached) from 32 keep-alive connections for --seconds after 2 s of warm-up, against the built intake
// alone (a fresh database, a running broker); prints req/s, statuses and intake's CPU ms per request. The bare
// floor of the HTTP stack is /health/live (no auth, no database, no request log).
//
//   npx nx build intake && node tools/bootstrap.mjs bench/route-cost --brokers 127.0.0.1:9192 [--port 4811] \
//     [--paths /health/live,/v1/disputes/nope] [--seconds 8]
import { ensureKeyPair, tokenFor } from '@recourse/testing';
import { option, parseArgs, runTool } from '../lib/cli';
import { withIntakeAlone } from './intake-alone';
import { closedLoop } from './load';
import { cpuSeconds, fmt } from './stats';

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const port = Number(option(args, 'port') ?? 4811);
  const seconds = Number(option(args, 'seconds') ?? 8);
  ensureKeyPair();
  await withIntakeAlone({ port, brokers: option(args, 'brokers') ?? '127.0.0.1:9192', database: 'recourse_route_cost_bench' }, async ({ intake }) => {
    const token = await tokenFor({ sub: 'c1', roles: ['customer'], locale: 'en' });
    for (const path of (option(args, 'paths') ?? '/health/live,/v1/disputes/nope').split(',')) {
      const next = () => ({ method: 'GET', path, headers: { authorization: `Bearer ${token}` } });
      await closedLoop({ port, connections: 32, warmupMs: 0, durationMs: 2_000, next });
      const before = cpuSeconds(intake.pid);
      const result = await closedLoop({ port, connections: 32, warmupMs: 0, durationMs: seconds * 1000, next });
      const cpu = cpuSeconds(intake.pid) - before;
      const n = Object.values(result.statuses).reduce((a, b) => a + b, 0);
      process.stdout.write(`${path}: ${fmt(result.rps, 0)} req/s, statuses ${JSON.stringify(result.statuses)}, intake CPU ${fmt((cpu * 1000) / n, 3)} ms/request\n`);
    }
  });
}
runTool('route-cost', main);
