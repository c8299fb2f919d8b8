// node tools/bootstrap.mjs bench/cpuprofile-summary FILE.cpuprofile [--top N]
// Prints a .cpuprofile's self time by package and by function (tools/bench/profile-summary.ts).
import { readFileSync } from 'node:fs';
import { fail, runTool } from '../lib/cli';
import { summariseProfile } from './profile-summary';

async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file) fail('usage: node tools/bootstrap.mjs bench/cpuprofile-summary FILE.cpuprofile [--top N]');
  const topIndex = process.argv.indexOf('--top');
  const top = topIndex > 0 ? Number(process.argv[topIndex + 1]) : 25;
  const summary = summariseProfile(JSON.parse(readFileSync(file, 'utf8')), top);
  console.log(`sampled ${summary.totalMs.toFixed(0)} ms`);
  console.log('\nself time by package:');
  for (const row of summary.packages) console.log(`  ${row.pct.toFixed(1).padStart(5)} %  ${row.ms.toFixed(0).padStart(7)} ms  ${row.name}`);
  console.log('\nself time by function:');
  for (const row of summary.functions) console.log(`  ${row.pct.toFixed(1).padStart(5)} %  ${row.ms.toFixed(0).padStart(7)} ms  ${row.name}`);
}

runTool('cpuprofile-summary', main);
