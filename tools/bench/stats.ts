// Percentiles, and what the kernel says of a process: resident memory and CPU time (/proc).
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';

export const load = (): string => loadavg().map((value) => value.toFixed(2)).join(' ');
export const fmt = (value: number, digits = 1): string => (Number.isFinite(value) ? value.toFixed(digits) : '—');

/** p-th percentile (0..100) of sorted numbers, by nearest rank. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export function summarise(latencies: number[]): { count: number; p50: number; p90: number; p99: number; max: number } {
  const sorted = Float64Array.from(latencies).sort();
  return { count: sorted.length, p50: percentile(sorted, 50), p90: percentile(sorted, 90), p99: percentile(sorted, 99), max: sorted.length ? sorted[sorted.length - 1] : NaN };
}

/** A figure of /proc/<pid>/status in MB (VmRSS, or VmHWM for the peak), or NaN when the process is gone. */
export function memoryMb(pid: number, field: 'VmRSS' | 'VmHWM' = 'VmRSS'): number {
  try {
    const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

export interface RssSampler {
  /** Every reading as [at, key, MB] (a soak's windows). */
  samples: Array<[number, string, number]>;
  /** The highest MB seen per key so far. */
  peaks(): Record<string, number>;
  stop(): void;
}

/** Samples the RSS of `targets` every `everyMs`. */
export function sampleRss(targets: Array<{ key: string; pid: number }>, everyMs: number): RssSampler {
  const peak = new Map<string, number>();
  const samples: Array<[number, string, number]> = [];
  const timer = setInterval(() => {
    for (const { key, pid } of targets) {
      const mb = memoryMb(pid) || 0;
      peak.set(key, Math.max(peak.get(key) ?? 0, mb));
      samples.push([performance.now(), key, mb]);
    }
  }, everyMs);
  return { samples, peaks: () => Object.fromEntries([...peak].map(([key, mb]) => [key, Math.round(mb)])), stop: () => clearInterval(timer) };
}

const TICKS_PER_SECOND = 100; // USER_HZ, as /proc reports it on Linux

/**
 * Two adjacent tick counters of /proc/<pid>/stat summed, in seconds (`first` counts fields after the state), or
 * NaN when the process is gone.
 */
function statSeconds(pid: number | string, first: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[first]) + Number(fields[first + 1])) / TICKS_PER_SECOND;
  } catch {
    return NaN;
  }
}

/** CPU seconds (user + system) a process has used so far, or NaN when it is gone. */
export const cpuSeconds = (pid: number | string): number => statSeconds(pid, 11);

/** CPU seconds (user + system) of a process's children that exited and were reaped, or NaN when it is gone. */
export const reapedChildrenCpuSeconds = (pid: number | string): number => statSeconds(pid, 13);

/** The processes whose command line passes `matches`. */
function processesWhere(matches: (command: string) => boolean): string[] {
  const found: string[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let command;
    try {
      command = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (matches(command.replaceAll('\0', ' '))) found.push(entry);
  }
  return found;
}

/** CPU seconds used so far by every process whose command line passes `matches` (Postgres, the Kafka broker). */
export function cpuSecondsOf(matches: (command: string) => boolean): number {
  return processesWhere(matches).reduce((sum, pid) => sum + (cpuSeconds(pid) || 0), 0);
}

/** CPU seconds of the children that exited of every process whose command line passes `matches` (Postgres's postmaster). */
export function reapedCpuSecondsOf(matches: (command: string) => boolean): number {
  return processesWhere(matches).reduce((sum, pid) => sum + (reapedChildrenCpuSeconds(pid) || 0), 0);
}

/**
 * CPU seconds used so far by Postgres for `database`: the server's own processes and that database's backends, not
 * other databases', and the backends that exited (a pool closing an idle connection), which the postmaster reaped:
 * without them a phase's sum fell by whatever those had used before, down to below zero.
 */
export function postgresCpuSeconds(database: string): number {
  return cpuSecondsOf((command) => command.startsWith('postgres') && (!/^postgres: \S+: \S+ \S+ \S+\(\d+\)/.test(command) || command.includes(` ${database} `)))
    + reapedCpuSecondsOf((command) => /\/postgres -D /.test(command));
}

/** CPU seconds used so far by the threads named `thread` (a prefix of their comm) of those processes. */
export function threadCpuSecondsOf(matches: (command: string) => boolean, thread: RegExp): number {
  let total = 0;
  for (const pid of processesWhere(matches)) {
    let tasks: string[];
    try {
      tasks = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const tid of tasks) {
      try {
        if (thread.test(readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8'))) total += cpuSeconds(`${pid}/task/${tid}`) || 0;
      } catch {
        continue;
      }
    }
  }
  return total;
}
