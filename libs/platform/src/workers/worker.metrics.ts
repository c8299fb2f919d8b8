import { Counter, Gauge, Histogram } from 'prom-client';
import { registry } from '../metrics/metrics';

/** Every background worker's metrics, labelled by its name: no worker declares its own. */
export const workerRuns = new Counter({
  name: 'recourse_worker_runs_total',
  help: 'Background worker steps that completed, by worker and result (busy: more may be waiting, idle: nothing left)',
  labelNames: ['worker', 'result'],
  registers: [registry],
});

export const workerErrors = new Counter({
  name: 'recourse_worker_errors_total',
  help: 'Background worker steps that threw, by worker (each is followed by a back-off)',
  labelNames: ['worker'],
  registers: [registry],
});

export const workerStepDuration = new Histogram({
  name: 'recourse_worker_step_duration_seconds',
  help: 'How long one background worker step took, failed ones included',
  labelNames: ['worker'],
  buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
  registers: [registry],
});

/** What the last-success gauge reads at scrape time: each running worker's name and milliseconds since its last success. */
const ages = new Set<() => { worker: string; ageMs: number }>();

export const workerLastSuccessAge = new Gauge({
  name: 'recourse_worker_last_success_age_seconds',
  help: 'Seconds since each running background worker last completed a step (read at scrape time); grows while its steps throw or hang',
  labelNames: ['worker'],
  registers: [registry],
  collect() {
    this.reset();
    // Tests run replicas in one process: one series per name, the worst of them.
    const worst = new Map<string, number>();
    for (const age of ages) {
      const { worker, ageMs } = age();
      worst.set(worker, Math.max(worst.get(worker) ?? 0, ageMs));
    }
    for (const [worker, ageMs] of worst) this.set({ worker }, ageMs / 1000);
  },
});

/** Reports a running worker's last-success age until the returned function is called. */
export function reportLastSuccessAge(age: () => { worker: string; ageMs: number }): () => void {
  ages.add(age);
  return () => ages.delete(age);
}
