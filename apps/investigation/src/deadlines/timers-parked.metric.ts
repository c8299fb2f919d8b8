import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { cached, SERVICE_INFO, ServiceInfo, ScrapedGauge } from '@recourse/platform';
import { DataSource } from 'typeorm';
import { countParkedTimers, TIMER_KINDS } from '../deadlines/timers.repository';

const timersParked = new ScrapedGauge({
  name: 'recourse_timers_parked',
  help: 'Durable timers parked after their effect failed too often, by kind (counted at scrape time)',
  labelNames: ['kind'],
});

/**
 * Parked timers are kept, not deleted: each is a deadline (a provisional credit, a breach) that did not take
 * effect, so they are counted for an alert; the rows hold the attempts and the last error.
 */
@Injectable()
export class TimersParkedMetric implements OnModuleInit, OnApplicationShutdown {
  private stop: () => void = () => undefined;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(SERVICE_INFO) private readonly service: ServiceInfo,
  ) {}

  onModuleInit(): void {
    this.stop = timersParked.register(this.service.name, cached(() => this.count(), 10_000));
  }

  onApplicationShutdown(): void {
    this.stop();
  }

  private async count() {
    const counts = new Map<string, number>((await countParkedTimers(this.dataSource)).map((row) => [row.kind, row.count]));
    const kinds: string[] = [...TIMER_KINDS, ...counts.keys()];
    return [...new Set(kinds)].map((kind) => ({ labels: { kind }, value: counts.get(kind) ?? 0 }));
  }
}
