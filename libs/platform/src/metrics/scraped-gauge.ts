import { Gauge } from 'prom-client';
import { registry } from './metrics';

export interface Sample {
  labels?: Record<string, string | number>;
  value: number;
}

/**
 * A gauge read from the database or the broker when Prometheus scrapes, instead of being kept up to date on
 * every write. Each service registers its reading under its name, which becomes the `service` label (tests
 * run several services in one process). A reading that fails, or takes longer than `readTimeoutMs` (Postgres
 * or Kafka away), leaves that service's series out of the scrape rather than failing or stalling /metrics as
 * a whole, when the other metrics matter most: alert on `absent()` to notice.
 */
export class ScrapedGauge {
  private readonly readings = new Map<string, () => Promise<Sample[]>>();
  private readonly gauge: Gauge;

  constructor(config: { name: string; help: string; labelNames?: string[]; readTimeoutMs?: number }) {
    const readings = this.readings;
    const readTimeoutMs = config.readTimeoutMs ?? 3_000;
    this.gauge = new Gauge({
      name: config.name,
      help: config.help,
      labelNames: [...(config.labelNames ?? []), 'service'],
      registers: [registry],
      async collect() {
        const read = await Promise.all(
          [...readings].map(async ([service, reading]) => ({ service, samples: await within(reading(), readTimeoutMs).catch(() => []) })),
        );
        // Set only after every await, so two concurrent scrapes cannot interleave a reset with the other's values.
        this.reset();
        for (const { service, samples } of read) {
          for (const sample of samples) this.set({ ...sample.labels, service }, sample.value);
        }
      },
    });
  }

  /** Returns the unregister function, for the service's shutdown. */
  register(service: string, reading: () => Promise<Sample[]>): () => void {
    this.readings.set(service, reading);
    return () => {
      if (this.readings.get(service) === reading) this.readings.delete(service);
    };
  }
}

/**
 * `read`, called at most once per `ttlMs`: frequent scrapes, or several Prometheus servers, cost one query.
 * Concurrent callers share the reading in flight; a failed reading is not kept.
 */
export function cached<T>(read: () => Promise<T>, ttlMs: number, now: () => number = Date.now): () => Promise<T> {
  let last: { at: number; value: Promise<T> } | null = null;
  return () => {
    if (last && now() - last.at < ttlMs) return last.value;
    const value = read();
    const entry = { at: now(), value };
    last = entry;
    value.catch(() => {
      if (last === entry) last = null;
    });
    return value;
  };
}

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no reading within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
