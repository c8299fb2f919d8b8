import { Logger } from '@nestjs/common';
import { Readiness } from '../health/readiness';
import { registry } from '../metrics/metrics';
import { BackgroundWorker, backoffMs, StepResult, WorkerDefinition } from './background-worker';
import { BackgroundWorkers } from './background-workers';

/** A step that answers from a script (or `idle` once the script is used up) and records when each call began. */
function scripted(...script: Array<StepResult | Error | (() => Promise<StepResult>)>) {
  const calls: number[] = [];
  const step = jest.fn(async (): Promise<StepResult> => {
    calls.push(Date.now());
    const next = script.shift() ?? 'idle';
    if (next instanceof Error) throw next;
    return typeof next === 'function' ? next() : next;
  });
  return { step, calls };
}

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}

const workers: BackgroundWorker[] = [];
const warnings = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
function started(definition: Partial<WorkerDefinition> & Pick<WorkerDefinition, 'step'>): BackgroundWorker {
  const worker = new BackgroundWorker({ name: 'test', idleMs: 1_000, ...definition });
  workers.push(worker);
  worker.start();
  return worker;
}

describe('BackgroundWorker', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(async () => {
    for (const worker of workers.splice(0)) await worker.stop();
    jest.useRealTimers();
  });

  it('runs again at once while a step is busy, then sleeps the idle interval', async () => {
    const { step, calls } = scripted('busy', 'busy', 'idle', 'idle');
    started({ step, idleMs: 1_000 });
    await jest.advanceTimersByTimeAsync(0);
    expect(calls).toEqual([1_000_000, 1_000_000, 1_000_000]);
    await jest.advanceTimersByTimeAsync(999);
    expect(step).toHaveBeenCalledTimes(3);
    await jest.advanceTimersByTimeAsync(1);
    expect(calls[3]).toBe(1_001_000);
  });

  it('waits firstStepAfterMs before the first step', async () => {
    const { step, calls } = scripted();
    started({ step, firstStepAfterMs: 500 });
    await jest.advanceTimersByTimeAsync(499);
    expect(step).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1);
    expect(calls).toEqual([1_000_500]);
  });

  it('a wake-up ends the idle pause at once, and one during a step runs another right after it', async () => {
    const running = deferred<StepResult>();
    const { step, calls } = scripted('idle', () => running.promise, 'idle');
    const worker = started({ step, idleMs: 60_000 });
    await jest.advanceTimersByTimeAsync(100);
    worker.wake();
    await jest.advanceTimersByTimeAsync(0);
    expect(calls).toEqual([1_000_000, 1_000_100]);
    // Woken while the second step runs: the rows it committed may have been missed by that step.
    worker.wake();
    running.resolve('idle');
    await jest.advanceTimersByTimeAsync(0);
    expect(calls).toEqual([1_000_000, 1_000_100, 1_000_100]);
    await jest.advanceTimersByTimeAsync(59_999);
    expect(step).toHaveBeenCalledTimes(3);
  });

  it('serves the wake-ups that arrive within coalesceMs of an idle step with one step', async () => {
    const { step, calls } = scripted();
    const worker = started({ step, idleMs: 60_000, coalesceMs: 5 });
    await jest.advanceTimersByTimeAsync(1);
    worker.wake();
    await jest.advanceTimersByTimeAsync(1);
    worker.wake();
    worker.wake();
    await jest.advanceTimersByTimeAsync(10);
    expect(calls).toEqual([1_000_000, 1_000_005]);
  });

  it('runs again after coalesceMs, unwoken, when a step leaves work for the next (soon); then idles as usual', async () => {
    const { step, calls } = scripted('soon', 'soon', 'idle');
    started({ step, idleMs: 60_000, coalesceMs: 5 });
    await jest.advanceTimersByTimeAsync(20);
    expect(calls).toEqual([1_000_000, 1_000_005, 1_000_010]);
    await jest.advanceTimersByTimeAsync(59_000);
    expect(step).toHaveBeenCalledTimes(3);
  });

  it('backs off exponentially up to the cap while steps throw, unmoved by wake-ups, and starts over after a success', async () => {
    const failure = new Error('database away');
    const { step, calls } = scripted(failure, failure, failure, failure, failure, 'idle', failure, 'idle');
    const worker = started({ step, idleMs: 60_000, backoff: { firstMs: 100, maxMs: 500 } });
    await jest.advanceTimersByTimeAsync(50);
    worker.wake();
    await jest.advanceTimersByTimeAsync(2_000);
    expect(calls.map((at) => at - 1_000_000)).toEqual([0, 100, 300, 700, 1_200, 1_700]);
    expect(warnings).toHaveBeenLastCalledWith({ err: failure, failuresInARow: 5, retryInMs: 500 }, 'step failed; backing off');
    worker.wake();
    await jest.advanceTimersByTimeAsync(100);
    expect(calls.slice(6).map((at) => at - 1_000_000)).toEqual([2_050, 2_150]);
  });

  it('doubles from firstMs and holds at maxMs', () => {
    expect([1, 2, 3, 4, 5, 6].map((failures) => backoffMs(failures, { firstMs: 1_000, maxMs: 10_000 }))).toEqual([1_000, 2_000, 4_000, 8_000, 10_000, 10_000]);
  });

  it('stop() ends the idle pause at once', async () => {
    const { step } = scripted();
    const worker = started({ step, idleMs: 60_000 });
    await jest.advanceTimersByTimeAsync(10);
    await worker.stop();
    expect(Date.now()).toBe(1_000_010);
  });

  it('stop() awaits the step in progress and starts no other', async () => {
    const running = deferred<StepResult>();
    const { step } = scripted('idle', () => running.promise, 'busy');
    const worker = started({ step });
    await jest.advanceTimersByTimeAsync(1_000);
    expect(step).toHaveBeenCalledTimes(2);
    let stopped = false;
    const stopping = worker.stop().then(() => (stopped = true));
    await jest.advanceTimersByTimeAsync(5_000);
    expect(stopped).toBe(false);
    worker.wake();
    running.resolve('busy');
    await stopping;
    await jest.advanceTimersByTimeAsync(5_000);
    expect(step).toHaveBeenCalledTimes(2);
  });

  it('turns unhealthy when steps keep throwing past unhealthyAfterMs, and healthy again after a success', async () => {
    const failure = new Error('refused');
    const { step } = scripted(...Array.from({ length: 12 }, () => failure));
    const worker = started({ step, idleMs: 60_000, backoff: { firstMs: 100, maxMs: 100 }, unhealthyAfterMs: 1_000 });
    await jest.advanceTimersByTimeAsync(900);
    expect(worker.healthy()).toBe(true);
    await jest.advanceTimersByTimeAsync(200);
    expect(worker.healthy()).toBe(false);
    await jest.advanceTimersByTimeAsync(200);
    expect(step).toHaveBeenCalledTimes(13);
    expect(worker.healthy()).toBe(true);
  });

  it('turns unhealthy when a step hangs past unhealthyAfterMs', async () => {
    const hanging = deferred<StepResult>();
    const { step } = scripted('idle', () => hanging.promise);
    const worker = started({ step, idleMs: 100, unhealthyAfterMs: 1_000 });
    await jest.advanceTimersByTimeAsync(1_000);
    expect(worker.healthy()).toBe(true);
    await jest.advanceTimersByTimeAsync(200);
    expect(worker.healthy()).toBe(false);
    hanging.resolve('idle');
    await jest.advanceTimersByTimeAsync(0);
    expect(worker.healthy()).toBe(true);
  });

  it('defaults unhealthyAfterMs to ten idle intervals, at least a minute', async () => {
    const hanging = deferred<StepResult>();
    const { step } = scripted(() => hanging.promise);
    const slow = started({ step, idleMs: 30_000 });
    await jest.advanceTimersByTimeAsync(300_000);
    expect(slow.healthy()).toBe(true);
    await jest.advanceTimersByTimeAsync(1);
    expect(slow.healthy()).toBe(false);
    hanging.resolve('idle');
  });

  it('is unhealthy before it starts and once it stops', async () => {
    const worker = new BackgroundWorker({ name: 'test', idleMs: 100, step: async () => 'idle' });
    expect(worker.healthy()).toBe(false);
    worker.start();
    expect(worker.healthy()).toBe(true);
    await worker.stop();
    expect(worker.healthy()).toBe(false);
  });
});

describe('BackgroundWorkers', () => {
  afterEach(async () => {
    for (const worker of workers.splice(0)) await worker.stop();
  });

  it('puts each worker in /health/ready as worker:<name>', async () => {
    const readiness = new Readiness();
    readiness.register('database', () => true);
    const hanging = deferred<StepResult>();
    const worker = new BackgroundWorkers(readiness).create({ name: 'stuck', idleMs: 10, unhealthyAfterMs: 50, step: () => hanging.promise });
    workers.push(worker);
    worker.start();
    expect(await readiness.report()).toEqual({ ready: true, checks: { database: true, 'worker:stuck': true } });
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(await readiness.report()).toEqual({ ready: false, checks: { database: true, 'worker:stuck': false } });
    hanging.resolve('idle');
  });

  it('reports runs, errors, step duration and last-success age under the worker name', async () => {
    const name = `metrics-${process.pid}`;
    const { step } = scripted('busy', new Error('once'), 'idle');
    const worker = new BackgroundWorkers(new Readiness()).create({ name, idleMs: 60_000, backoff: { firstMs: 1, maxMs: 1 }, step });
    workers.push(worker);
    worker.start();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const text = await registry.metrics();
    const sample = (series: string) => Number(new RegExp(`^${series.replace(/[{}]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1]);
    expect(sample(`recourse_worker_runs_total{worker="${name}",result="busy"}`)).toBe(1);
    expect(sample(`recourse_worker_runs_total{worker="${name}",result="idle"}`)).toBe(1);
    expect(sample(`recourse_worker_errors_total{worker="${name}"}`)).toBe(1);
    expect(sample(`recourse_worker_step_duration_seconds_count{worker="${name}"}`)).toBe(3);
    expect(sample(`recourse_worker_last_success_age_seconds{worker="${name}"}`)).toBeLessThan(1);
    await worker.stop();
    expect(await registry.metrics()).not.toContain(`recourse_worker_last_success_age_seconds{worker="${name}"}`);
  });
});
